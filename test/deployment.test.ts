import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig, portVar, SUBGRAPH_NAMES, urlVar } from '../kit/config.js';

/** No Docker engine exists here, so the compose file is checked against the code's config. */
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; cpu_shares?: number; environment?: Record<string, string>; ports?: string[]; depends_on?: Record<string, { condition: string }>; healthcheck?: { test: string[] } }>;
};
const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
const defaults = loadConfig({});

describe('docker-compose.yml matches the code', () => {
  it('should run MongoDB 8 as an initialised single-node replica set', () => {
    const mongo = compose.services.mongo as unknown as { image: string; command: string[]; healthcheck: { test: string[] } };
    expect(mongo.image).toMatch(/^mongo:8/);
    expect(mongo.command).toContain('--replSet');
    expect(mongo.healthcheck.test.join(' ')).toContain('rs.initiate');
  });

  it.each(SUBGRAPH_NAMES)('should run the %s subgraph on its configured port with a healthcheck', (name) => {
    const service = compose.services[name];
    const port = defaults.subgraphs[name].port;
    expect(service.command).toEqual(['npm', 'run', 'start:subgraph', '--', name]);
    expect(service.environment?.[portVar(name)]).toBe(String(port));
    expect(service.environment?.MONGODB_URI).toMatch(/^mongodb:\/\/mongo:27017\/\?replicaSet=rs0$/);
    expect(service.environment?.HOST).toBe('0.0.0.0');
    expect(service.ports).toContain(`${port}:${port}`);
    expect(service.healthcheck?.test.join(' ')).toContain(`${port}/health`);
    expect(service.depends_on?.mongo?.condition).toBe('service_healthy');
  });

  it('should point the gateway at every subgraph service and wait for them', () => {
    const gateway = compose.services.gateway;
    expect(gateway.command).toEqual(['npm', 'run', 'start:gateway']);
    expect(gateway.environment?.GATEWAY_PORT).toBe(String(defaults.gatewayPort));
    expect(gateway.ports).toContain(`${defaults.gatewayPort}:${defaults.gatewayPort}`);
    for (const name of SUBGRAPH_NAMES) {
      expect(gateway.environment?.[urlVar(name)]).toBe(`http://${name}:${defaults.subgraphs[name].port}/graphql`);
      expect(gateway.depends_on?.[name]?.condition).toBe('service_healthy');
    }
  });

  it.each([...SUBGRAPH_NAMES, 'order-worker', 'gateway'])('should let %s reach every subgraph by its service name', (name) => {
    const env = compose.services[name].environment ?? {};
    for (const subgraph of SUBGRAPH_NAMES) expect(env[urlVar(subgraph)], `${name}: ${urlVar(subgraph)}`).toBe(`http://${subgraph}:${defaults.subgraphs[subgraph].port}/graphql`);
  });

  it('should serve the order graph from an API instance and run its orchestration in a worker instance', () => {
    const api = compose.services.order;
    const worker = compose.services['order-worker'];
    expect(loadConfig(api.environment as NodeJS.ProcessEnv).backgroundWork).toBe(false);
    expect(loadConfig(worker.environment as NodeJS.ProcessEnv).backgroundWork).toBe(true);
    expect(worker.command).toEqual(api.command);
    expect(worker.environment?.MONGODB_URI).toBe(api.environment?.MONGODB_URI);
    expect(worker.healthcheck?.test.join(' ')).toContain(`${defaults.subgraphs.order.port}/health`);
    // Only the API instance is routed to.
    expect(compose.services.gateway.environment?.ORDER_URL).toBe('http://order:4003/graphql');
    // Under contention the worker's batch of orchestration yields to the API instances (default weight 1024).
    expect(worker.cpu_shares).toBeLessThan(1024);
    expect(api.cpu_shares).toBeUndefined();
  });

  it('should only use environment variables and npm scripts the code knows', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const key of Object.keys(service.environment ?? {})) expect(CONFIG_VARIABLES, `${name}: ${key}`).toContain(key);
      const [bin, run, script] = service.command ?? [];
      if (bin === 'npm' && run === 'run') expect(Object.keys(scripts), `${name}: ${script}`).toContain(script);
    }
  });

  it('should parse every value the compose file sets with the real config loader', () => {
    for (const service of Object.values(compose.services)) {
      if (service.environment) expect(() => loadConfig(service.environment as NodeJS.ProcessEnv)).not.toThrow();
    }
  });
});
