// Injected into the CommonJS bundles by scripts/build.mjs: the value of `import.meta.url` there.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
