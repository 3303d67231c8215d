/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: both SDKs are CommonJS packages */
// The same extension with the official SDK (@line/clova-cek-sdk-nodejs), written the way its
// README pairs `verifier()` with `Client.configureSkill()...lambda()`: the API Gateway event is
// unwrapped by hand (the SDK's Lambda handler takes the CEK message itself), verified, dispatched.
const clova = require('@line/clova-cek-sdk-nodejs');

const skill = clova.Client.configureSkill()
  .onLaunchRequest((ctx) => {
    ctx.setSimpleSpeech(clova.SpeechBuilder.createSpeechText('おはようございます'));
  })
  .lambda();

function header(event, name) {
  const headers = event.headers || {};
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

exports.handler = async (event) => {
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    const message = await clova.verifier(header(event, 'signaturecek'), 'com.chens.morning', body);
    const response = await skill(message);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: JSON.stringify(response),
    };
  } catch (error) {
    return { statusCode: 403, body: JSON.stringify({ error: String(error && error.message) }) };
  }
};
