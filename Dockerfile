# One image for every process: the gateway and each subgraph differ only by command and env.
FROM node:20.20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# tsx runs the TypeScript sources directly (no build step to drift from them).
USER node
EXPOSE 4000 4001 4002 4003 4004 4005 4006
CMD ["npm", "run", "start:gateway"]
