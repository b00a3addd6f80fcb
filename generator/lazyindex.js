"use strict";
// Preloaded into jsii's node process (NODE_OPTIONS=--require, set by generator/cdk.py).
//
// The AWS provider bindings' lib/index.js requires all of its ~1,500 resource modules when jsii
// loads the assembly: node compiles 50 MB of JavaScript (about 2 s) for the ~50 a stack uses. The
// jsii kernel only reads those namespaces as properties of the package's exports (closure[ns][Class]),
// so each `exports.ns = require("./ns");` line of that one file becomes a getter that requires its
// module on first read. Every other file is compiled as it is; the synthesized output is the same.
const Module = require("module");

const INDEX = /[\\/]provider-aws[\\/]lib[\\/]index\.js$/;
// cdktf's providers: exports.vpc = require("./vpc");  cdktn's: exports.vpc = __importStar(require("./vpc/index"));
const PLAIN = /^exports\.([A-Za-z_$][\w$]*) = require\(("\.\/[\w./-]+")\);$/gm;
const STARRED = /^exports\.([A-Za-z_$][\w$]*) = __importStar\(require\(("\.\/[\w./-]+")\)\);$/gm;
const DEFINE = `
function __hclgenLazy(target, name, load) {
  Object.defineProperty(target, name, {
    configurable: true,
    enumerable: true,
    get() {
      const value = load();
      Object.defineProperty(target, name, { value, configurable: true, enumerable: true, writable: true });
      return value;
    },
  });
}
`;

const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (INDEX.test(filename)) {
    content =
      content
        .replace(PLAIN, (_, name, path) => `__hclgenLazy(exports, "${name}", () => require(${path}));`)
        .replace(STARRED, (_, name, path) => `__hclgenLazy(exports, "${name}", () => __importStar(require(${path})));`) +
      DEFINE;
  }
  return compile.call(this, content, filename);
};
