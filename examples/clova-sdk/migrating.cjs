/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: SDK extensions are written this way */
/**
 * The same extension halfway to cekit's native API (step 2 of docs/guides/migrating.md). A native
 * extension from createExtension() is given to Client.configureSkill({ extension }): a request one of
 * its handlers matches goes to it, anything else to the SDK-style handlers, behind the same URL and
 * the same verified endpoint. SetAlarmIntent and Clova.GuideIntent have moved; the launch and the
 * rest of the switch have not yet. Move one intent at a time, then drop the SDK part altogether.
 */
'use strict';

const express = require('express');
const { createExtension } = require('cekit');
const { Client, Middleware, SpeechBuilder } = require('cekit/clova-sdk');

const say = (text) => SpeechBuilder.createSpeechText(text);

function createApp({ applicationId = process.env.APPLICATION_ID, ...options } = {}) {
  // Moved: native handlers, which the skill tries first.
  const app = createExtension({ extensionId: applicationId, logger: options.logger });
  app.intent('SetAlarmIntent', { slots: { time: 'string' } }, (ctx) => {
    const time = ctx.slots.time; // undefined when the user said no time
    if (time === undefined) return ctx.ask('何時にしますか?');
    return ctx.say(`${time}に起こします。おやすみなさい。`); // say() ends the session
  });
  app.intent('Clova.GuideIntent', (ctx) => ctx.ask('起きる時間を言ってください。例えば「6時半」です。'));

  // Not moved yet: what the native extension has no handler for ends up here, as before.
  const skill = Client.configureSkill({ applicationId, extension: app, ...options })
    .onLaunchRequest((ctx) => {
      ctx.setSimpleSpeech(say('おはようございます。何時に起こしましょうか?'));
      ctx.setSimpleSpeech(say('「7時に起こして」のように言ってください。'), true);
    })
    .onIntentRequest((ctx) => {
      switch (ctx.getIntentName()) {
        case 'Clova.CancelIntent':
        case 'Clova.NoIntent':
          ctx.setSimpleSpeech(say('わかりました。またどうぞ。'));
          ctx.endSession();
          break;
        default:
          ctx.setSimpleSpeech(say('すみません、もう一度お願いします。'));
      }
    })
    .onSessionEndedRequest(() => {});

  const server = express();
  server.post('/clova', Middleware({ applicationId, ...options }), skill.handle());
  return server;
}

module.exports = { createApp };
