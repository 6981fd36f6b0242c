// `npm run policy`: writes the generated IAM policy files from the calls the fact definitions
// declare: policy/lab-grader-policy.json, and the Action list of the role template students
// deploy (policy/lab-grader-role.cfn.yaml), whose hand-written frame it keeps.
// Tests keep both equal to the definitions, so a fact that needs a new action fails until this runs.
import { readFile, writeFile } from 'node:fs/promises';
import { graderPolicy, graderPolicyJson } from '../src/collect/policy.js';

const folder = new URL('../policy/', import.meta.url);
await writeFile(new URL('lab-grader-policy.json', folder), graderPolicyJson());

const templateFile = new URL('lab-grader-role.cfn.yaml', folder);
const template = await readFile(templateFile, 'utf8');
// The permissions policy's Action is the template's only action list (the trust policy's is one value).
const actionList = /^( +)Action:\n(?:\1 {2}- .+\n)+/m;
const found = actionList.exec(template);
if (!found) throw new Error(`no Action list in ${templateFile.pathname}: restore the role template from git`);
const indent = found[1]!;
const actions = graderPolicy().Statement.flatMap((statement) => statement.Action);
await writeFile(templateFile, template.replace(actionList, `${indent}Action:\n${actions.map((action) => `${indent}  - ${action}\n`).join('')}`));
console.log('wrote policy/lab-grader-policy.json and the role template\'s actions');
