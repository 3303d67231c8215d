/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: SDK extensions are written this way */
/**
 * An extension written for @line/clova-cek-sdk-nodejs, now on cekit: the only change is the
 * require() below. Express, the verifying Middleware and the skill's handle() are used as the SDK's
 * README used them; underneath, each request is checked and answered by cekit's endpoint (the
 * signature over the exact bytes, JSON 4xx refusals, the response budget and its fallback).
 *
 * A wake-up call: the launch asks for a time, SetAlarmIntent takes it from its `time` slot, the
 * built-in intents get help and goodbye. docs/guides/migrating.md explains each difference.
 */
'use strict';

const express = require('express');
const { Client, Middleware, SpeechBuilder } = require('cekit/clova-sdk'); // was '@line/clova-cek-sdk-nodejs'

const say = (text) => SpeechBuilder.createSpeechText(text);

/** The skill: one handler per request type, the intents told apart by name, as SDK code does. */
function createSkill() {
  return Client.configureSkill()
    .onLaunchRequest((ctx) => {
      ctx.setSimpleSpeech(say('おはようございます。何時に起こしましょうか?'));
      ctx.setSimpleSpeech(say('「7時に起こして」のように言ってください。'), true); // the reprompt
    })
    .onIntentRequest(async (ctx) => {
      switch (ctx.getIntentName()) {
        case 'SetAlarmIntent': {
          const time = ctx.getSlot('time'); // null when the user said no time
          if (time === null) {
            ctx.setSimpleSpeech(say('何時にしますか?'));
            break;
          }
          ctx.setSimpleSpeech(say(`${time}に起こします。おやすみなさい。`));
          ctx.endSession();
          break;
        }
        case 'Clova.GuideIntent':
          ctx.setSimpleSpeech(say('起きる時間を言ってください。例えば「6時半」です。'));
          break;
        case 'Clova.CancelIntent':
        case 'Clova.NoIntent':
          ctx.setSimpleSpeech(say('わかりました。またどうぞ。'));
          ctx.endSession();
          break;
        default:
          ctx.setSimpleSpeech(say('すみません、もう一度お願いします。'));
      }
    })
    .onSessionEndedRequest(() => {
      // Nothing to clean up; without this handler cekit would answer the same empty response.
    });
}

/**
 * The Express application. `applicationId` is the Extension ID from the Clova developer console; any
 * other option is one of cekit's endpoint options (`logger`, `verify`, `responseBudgetMs`...),
 * which the SDK's Middleware did not have.
 */
function createApp({ applicationId = process.env.APPLICATION_ID, ...options } = {}) {
  const server = express();
  server.post('/clova', Middleware({ applicationId, ...options }), createSkill().handle());
  server.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  return server;
}

module.exports = { createApp, createSkill };
