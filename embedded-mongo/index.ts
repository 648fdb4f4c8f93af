/** The embedded MongoDB-compatible server: the zero-setup database of `npm start` and the tests. */
export { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from './src/server.js';
