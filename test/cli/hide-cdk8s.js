// Preloaded by a binary test: makes `cdk8s` unresolvable, as in a project that did not install the peer dependency.
const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'cdk8s') {
    const err = new Error("Cannot find module 'cdk8s'");
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
