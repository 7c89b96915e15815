import type { Agent as AgentClass, Dispatcher, EnvHttpProxyAgent } from 'undici';

declare const undiciModules: {
  Agent: typeof AgentClass;
  /** undici's `request` API method, called with a dispatcher as `this`. */
  request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  loadEnvHttpProxyAgent(): typeof EnvHttpProxyAgent;
};
export = undiciModules;
