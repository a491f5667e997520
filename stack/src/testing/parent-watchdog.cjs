"use strict";
// Preloaded (node --require) into servers that tests start: the server exits as soon as the
// process that started it is gone, so a crashed or killed jest worker leaves nothing running.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();
