// `npm run docs`: regenerates the generated parts of README.md (the configuration reference).
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference, END, START } from '../infra/config/reference.ts';

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < 0) throw new Error('README.md lacks the config-reference markers');
writeFileSync('README.md', readme.slice(0, start) + configReference() + readme.slice(end + END.length));
console.log('README.md: configuration reference regenerated');
