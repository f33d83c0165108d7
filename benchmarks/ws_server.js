// Minimal, fast stand-in for the Soniox realtime STT WebSocket, used by W6.
//
// Protocol subset: the first text frame is the config; binary frames are audio; every
// EVERY audio frames one result event (one final and one non-final token) is sent; an
// empty frame (text or binary) ends the audio: the server answers
// {"tokens":[],...,"finished":true} and closes. Keepalive/finalize are tolerated.
//
// usage: node ws_server.js PORT [EVERY]   (prints "ready PORT" once listening)
"use strict";

const path = require("path");
const { WebSocketServer } = require(path.join(__dirname, ".work", "node", "node_modules", "ws"));

const port = Number(process.argv[2] || 0);
const every = Math.max(1, Number(process.argv[3] || 1));
const BYTES_PER_MS = 32; // 16 kHz, 16-bit, mono

const wss = new WebSocketServer({
  host: "127.0.0.1",
  port,
  perMessageDeflate: false,
  maxPayload: 16 * 1024 * 1024,
});

wss.on("listening", () => {
  process.stdout.write(`ready ${wss.address().port}\n`);
});

wss.on("connection", (ws) => {
  let configured = false;
  let finished = false;
  let frames = 0;
  let audioBytes = 0;

  const finish = () => {
    if (finished) return;
    finished = true;
    const ms = Math.floor(audioBytes / BYTES_PER_MS);
    const msg = `{"tokens":[],"final_audio_proc_ms":${ms},"total_audio_proc_ms":${ms},"finished":true}`;
    ws.send(msg, () => ws.close(1000));
  };

  ws.on("message", (data, isBinary) => {
    if (finished) return;
    if (!configured) {
      if (isBinary) {
        ws.send('{"tokens":[],"error_code":400,"error_message":"Start request must be a text message."}',
          () => ws.close(1000));
        finished = true;
        return;
      }
      configured = true;
      return;
    }
    if (data.length === 0) {
      finish();
      return;
    }
    if (!isBinary) {
      // control message: {"type":"keepalive"} or {"type":"finalize"}
      if (data.toString().includes("finalize")) {
        ws.send('{"tokens":[{"text":"<fin>","is_final":true}]}');
      }
      return;
    }
    frames += 1;
    audioBytes += data.length;
    if (frames % every === 0) {
      const end = Math.floor(audioBytes / BYTES_PER_MS);
      const mid = Math.max(0, end - 60);
      const start = Math.max(0, mid - 100);
      ws.send(
        `{"tokens":[{"text":" word","start_ms":${start},"end_ms":${mid},"confidence":0.93,"is_final":true},` +
          `{"text":" next","start_ms":${mid},"end_ms":${end},"confidence":0.61,"is_final":false}],` +
          `"final_audio_proc_ms":${mid},"total_audio_proc_ms":${end}}`
      );
    }
  });
  ws.on("error", () => {});
});
