// Scores every line of stdin with a peer of feedloop's sentiment plugin and writes one score per
// line to stdout: `node score.js vader` (vader-sentiment, the npm port of VADER: compound score)
// or `node score.js afinn` (sentiment, the AFINN-165 scorer: comparative score). Run as a whole
// process by scripts/bench, so start-up and module loading are part of its time, as ours are.
'use strict';
const readline = require('readline');

const which = process.argv[2];
let score;
if (which === 'vader') {
  const vader = require('vader-sentiment');
  score = (text) => vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
} else if (which === 'afinn') {
  const Sentiment = require('sentiment');
  const sentiment = new Sentiment();
  score = (text) => sentiment.analyze(text).comparative;
} else {
  process.stderr.write('usage: node score.js vader|afinn < texts.txt\n');
  process.exit(2);
}

const out = [];
const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
rl.on('line', (line) => {
  out.push(score(line).toFixed(4));
  if (out.length >= 4096) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
});
rl.on('close', () => {
  if (out.length) process.stdout.write(out.join('\n') + '\n');
});
