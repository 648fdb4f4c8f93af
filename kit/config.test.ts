import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('should run background work unless BACKGROUND_WORK is off', () => {
    expect(loadConfig({}).backgroundWork).toBe(true);
    expect(loadConfig({ BACKGROUND_WORK: 'on' }).backgroundWork).toBe(true);
    expect(loadConfig({ BACKGROUND_WORK: 'off' }).backgroundWork).toBe(false);
  });

  it('should open a subgraph\'s subscriptions where its queries go unless it has a subscription URL of its own', () => {
    expect(loadConfig({ ORDER_URL: 'http://order:4003/graphql' }).subgraphs.order).toEqual({ port: 4003, url: 'http://order:4003/graphql' });
    expect(loadConfig({ ORDER_SUBSCRIPTION_URL: 'http://order-live:4003/graphql' }).subgraphs.order.subscriptionUrl).toBe('http://order-live:4003/graphql');
    expect(() => loadConfig({ ORDER_SUBSCRIPTION_URL: 'ws://order-live:4003/graphql' })).toThrow(new ConfigError(`ORDER_SUBSCRIPTION_URL must be an http(s) URL, got 'ws://order-live:4003/graphql'`));
  });

  it('should refuse a value it does not know, naming the variable', () => {
    expect(() => loadConfig({ BACKGROUND_WORK: 'false' })).toThrow(new ConfigError(`BACKGROUND_WORK must be 'on' or 'off', got 'false'`));
    expect(() => loadConfig({ SAGA_LEASE_MS: 'soon' })).toThrow(/SAGA_LEASE_MS must be an integer/);
    expect(() => loadConfig({ ADAPTER_FAILURE_RATE: '2' })).toThrow(/ADAPTER_FAILURE_RATE must be a number between 0 and 1/);
  });
});
