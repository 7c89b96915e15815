// The undici modules http.ts uses, loaded with CommonJS `require` by path (see http.ts for why not
// undici's main entry). A CommonJS file of its own so that these are plain `require` calls: Node loads
// them without the cost of importing CommonJS from ESM (re-reading and lexing each file for its
// exports), and bundlers (esbuild, webpack, as Lambda builds use) see them and include undici.
'use strict';

const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');

module.exports = {
  Agent: require('undici/lib/dispatcher/agent.js'),
  request: require('undici/lib/api/api-request.js'),

  /**
   * undici's proxy agent, loaded on first use. It calls the `connect` API method on its own clients;
   * undici's main entry (which we do not load) puts those methods on Dispatcher.prototype, so they
   * are installed the same way first (idempotent).
   */
  loadEnvHttpProxyAgent() {
    if (typeof Dispatcher.prototype.connect !== 'function') Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));
    return require('undici/lib/dispatcher/env-http-proxy-agent.js');
  },
};
