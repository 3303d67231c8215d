/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: both SDKs are CommonJS packages */
// The same extension with ask-sdk-core, Alexa's SDK, as its README writes a Lambda skill. Alexa
// invokes the function directly with the request envelope, so there is no HTTP event and no
// signature to check: this row does strictly less work than the other two (skill id check only).
const Alexa = require('ask-sdk-core');

const LaunchHandler = {
  canHandle: (input) => Alexa.getRequestType(input.requestEnvelope) === 'LaunchRequest',
  handle: (input) => input.responseBuilder.speak('おはようございます').getResponse(),
};

exports.handler = Alexa.SkillBuilders.custom()
  .withSkillId('amzn1.ask.skill.00000000-0000-0000-0000-000000000000')
  .addRequestHandlers(LaunchHandler)
  .lambda();
