#!/usr/bin/env node
// labgen's executable: runs the compiled CLI (npm install builds dist/ through the `prepare` script).
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv.slice(2));
