/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- the CommonJS form of cekit-lambda.mjs */
// cekit-lambda.mjs as a CommonJS handler (`index.js` without "type": "module"): cekit's CommonJS build.
const { createExtension } = require('cekit');
const { toLambdaHandler } = require('cekit/lambda');

const app = createExtension({ extensionId: 'com.chens.morning', verify: { keyUrl: false } });
app.launch((ctx) => ctx.say('おはようございます'));

exports.handler = toLambdaHandler(app);
