"use strict";
// Preloaded into the Prisma CLI: its wasm schema engine leaves 10 s and 60 s timers pending,
// which keeps every CLI command alive up to a minute after its work is done.
const LONG_TIMER_MS = 5000;
const originalSetTimeout = global.setTimeout;
const originalSetInterval = global.setInterval;
global.setTimeout = function setTimeout(fn, ms, ...args) {
  const timer = originalSetTimeout(fn, ms, ...args);
  if (typeof ms === "number" && ms >= LONG_TIMER_MS && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
global.setInterval = function setInterval(fn, ms, ...args) {
  const timer = originalSetInterval(fn, ms, ...args);
  if (typeof ms === "number" && ms >= LONG_TIMER_MS && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
