// The CLI end to end: the built bin run by node, as a user runs it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REGION } from '../../src/role-names.js';
import { cli, expectUserError, root } from '../support/cli.js';

const completeLab = join(root, 'examples/complete-lab.snapshot.json');
const rubricText = readFileSync(join(root, 'rubric.yaml'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'lab-grader-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe('lab-grader grade', () => {
  it('grades the complete example offline, prints the checklist and writes the reports (exit 0)', async () => {
    const out = join(work, 'reports-a');
    const run = await cli(['grade', '--snapshot', completeLab, '--format', 'console,json,junit', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Introduction to Cloud Computing for MLOps');
    expect(run.stdout).toMatch(/Total \d+\.\d\d \/ 10\.00/);
    const scorecard = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as { rubric: { file: string }; total: { max: number } };
    expect(scorecard.rubric.file).toBe('rubric.yaml');
    expect(scorecard.total.max).toBe(10);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuites');
  });

  it('--out - prints the one format on stdout and writes no file', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--format', 'json', '--out', '-'], work);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { total: { max: number } }).total.max).toBe(10);
    expect(run.stderr).toBe('');
    expect(existsSync(join(work, '-'))).toBe(false);
  });

  it('--out - with two formats exits 2 and says to pick one', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--format', 'json,junit', '--out', '-']);
    expectUserError(run, 2);
    expect(run.stderr).toContain('--out - writes a single format to stdout');
  });

  it('--quiet prints nothing when grading succeeds, and still writes the files', async () => {
    const out = join(work, 'quiet');
    const run = await cli(['grade', '--snapshot', completeLab, '--format', 'console,json', '--out', out, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
    expect(existsSync(join(out, 'scorecard.json'))).toBe(true);
  });

  it('FORCE_COLOR colours the checklist even when piped, NO_COLOR keeps it plain', async () => {
    const forced = await cli(['grade', '--snapshot', completeLab], root, { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[');
    const plain = await cli(['grade', '--snapshot', completeLab], root, { NO_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('an --out that cannot be written (inside /proc) exits 2 at once, before grading', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--format', 'json', '--out', '/proc/lab-grader-x']);
    expectUserError(run, 2);
    expect(run.stderr).toContain('cannot write --out /proc/lab-grader-x (ENOENT)');
  });

  it('finds its rubric from any folder, and grades byte-identically', async () => {
    const out = join(work, 'reports-b');
    const run = await cli(['grade', '--snapshot', completeLab, '--format', 'json', '--out', out, '--min-score', '10.5'], work);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/lab-grader: score [\d.]+ is below --min-score 10\.5/);
    expect(readFileSync(join(out, 'scorecard.json'), 'utf8')).toBe(readFileSync(join(work, 'reports-a', 'scorecard.json'), 'utf8'));
  });

  it('a malformed rubric exits 2 naming file:line:column, without a stack trace', async () => {
    const bad = file('bad-rubric.yaml', rubricText.replace('lab: Introduction', 'lab: [Introduction'));
    const run = await cli(['grade', '--snapshot', completeLab, '--rubric', bad]);
    expectUserError(run, 2);
    expect(run.stderr).toContain(`${bad}:`);
    expect(run.stderr).toMatch(/bad-rubric\.yaml:\d+:\d+: invalid YAML/);
  });

  it('a rubric naming an unknown check exits 2 at its line', async () => {
    const bad = file('unknown-check.yaml', rubricText.replace('{ check: iam.root-mfa, points: 0.25 }', '{ check: iam.root-mfa-typo, points: 0.25 }'));
    const run = await cli(['grade', '--snapshot', completeLab, '--rubric', bad]);
    expectUserError(run, 2);
    expect(run.stderr).toMatch(/unknown-check\.yaml:\d+:13: step 1\.1 uses check "iam\.root-mfa-typo", which is not registered/);
  });

  it('a malformed snapshot exits 2 naming the field and its line', async () => {
    const bad = file('bad.snapshot.json', readFileSync(completeLab, 'utf8').replace('"VpcId": "vpc-', '"VpcIdentifier": "vpc-'));
    const run = await cli(['grade', '--snapshot', bad]);
    expectUserError(run, 2);
    expect(run.stderr).toMatch(/bad\.snapshot\.json:\d+:\d+: \$\.facts\.vpcs\.data\[0\]\.VpcId: missing VpcId/);
  });

  it('an unknown flag exits 2 with commander’s message', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--colour'");
  });

  it('live collection without credentials exits 3 and says how to configure them', async () => {
    // No config files and no instance metadata: the credential chain fails without any network call.
    const run = await cli(['grade', '--region', 'eu-west-1', '--format', 'json', '--out', join(work, 'none')], root, {
      AWS_CONFIG_FILE: join(work, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/(^|\n)lab-grader: No AWS credentials were found\. /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a --region that is not a region name exits 2 naming it, before any AWS call (grade, watch, batch)', async () => {
    // Every AWS call would reach this server: it must see none.
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const env = {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYTESTS1',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_CONFIG_FILE: join(work, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    };
    const roster = file('region-roster.csv', 'id,awsProfile\nalice,default\n');
    try {
      const runs = await Promise.all([
        cli(['grade', '--region', 'eu-west-1.evil.example', '--role-arn', 'arn:aws:iam::123456789012:role/lab-grader-readonly'], root, env),
        cli(['grade', '--region', 'eu-west-1\n::error::forged'], root, env),
        cli(['watch', '--region', 'EU-WEST-1', '--rounds', '1'], root, env),
        cli(['batch', roster, '--region', 'auto', '--out', join(work, 'region-class')], root, env),
      ]);
      expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
      expect(runs[0]!.stderr).toContain("option '--region <region>' argument 'eu-west-1.evil.example' is invalid");
      expect(runs[0]!.stderr).toContain('expected an AWS region such as eu-west-1, or auto');
      expect(runs[0]!.stderr).not.toContain('trust');
      expect(runs[3]!.stderr).toContain('expected an AWS region such as eu-west-1');
      expect(existsSync(join(work, 'region-class'))).toBe(false);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('region names of every partition have the shape --region and the roster accept', () => {
    for (const name of ['eu-west-1', 'us-east-1', 'ap-southeast-4', 'us-gov-west-1', 'cn-northwest-1', 'us-isob-east-1', 'il-central-1', 'mx-central-1']) {
      expect(name).toMatch(REGION);
    }
    for (const name of ['eu-west-1.evil.example', 'eu-west-1/', 'eu-west', 'EU-WEST-1', 'eu-west-1\n', ' eu-west-1', '127.0.0.1', 'auto', '']) {
      expect(name).not.toMatch(REGION);
    }
  });

  it('grade --help lists what a student needs first, then the reports, then what instructors add', async () => {
    const run = await cli(['grade', '--help']);
    expect(run.code).toBe(0);
    const at = (flag: string) => {
      const index = run.stdout.search(new RegExp(`^ {2}${flag}\\b`, 'm'));
      expect(index, flag).toBeGreaterThan(-1);
      return index;
    };
    const order = ['--profile', '--region', '--lab-profile', '--snapshot', '--format', '--out', '--role-arn', '--integrity', '--collected-after'].map(at);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('rubric show --profile academy exits 2 and says to write --lab-profile', async () => {
    const run = await cli(['rubric', 'show', '--profile', 'academy']);
    expectUserError(run, 2);
    expect(run.stderr).toContain('lab-grader rubric show --lab-profile academy');
    expect(run.stderr).not.toContain('unknown option');
  });

  it('a lab profile that does not exist exits 2 and points to --profile, the AWS profile', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--lab-profile', 'student']);
    expectUserError(run, 2);
    expect(run.stderr).toContain('pass --profile student');
  });

  it('--profile academy with no AWS profile of that name exits 2 and suggests --lab-profile academy', async () => {
    const config = file('aws-config', '[default]\nregion = eu-west-1\n[profile student]\nregion = eu-west-1\n');
    const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials') };
    const run = await cli(['grade', '--snapshot', completeLab, '--profile', 'academy'], root, env);
    expectUserError(run, 2);
    expect(run.stderr).toContain('no AWS profile is called "academy"');
    expect(run.stderr).toContain('pass --lab-profile academy');
  });

  it('a --profile that neither AWS file defines exits 2 naming it, the files searched and the profiles found, with and without --region', async () => {
    const config = file('aws-config-typo', '[default]\nregion = eu-west-1\n[profile student]\nsso_session = course\n[sso-session course]\nsso_region = eu-west-1\n');
    const credentials = file('aws-credentials-typo', '[lab-admin]\naws_access_key_id = x\n');
    // No region anywhere, and credentials in the environment: neither may be what the message is about.
    const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYTESTS1', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };
    const runs = await Promise.all([
      cli(['grade', '--profile', 'studnet'], root, env),
      cli(['grade', '--profile', 'studnet', '--region', 'eu-west-1'], root, env),
      cli(['watch', '--profile', 'studnet', '--rounds', '1'], root, env),
    ]);
    for (const run of runs) {
      expectUserError(run, 2);
      expect(run.stderr).toContain(`no AWS profile is called "studnet" (searched ${config} and ${credentials}, which define default, lab-admin, student)`);
      expect(run.stderr).toContain('aws configure --profile studnet');
      expect(run.stderr).not.toMatch(/region is set|credentials were found/i);
    }
  });

  it('--profile academy is taken as the AWS profile when one has that name', async () => {
    const credentials = file('aws-credentials', '[academy]\naws_access_key_id = x\n');
    const env = { AWS_CONFIG_FILE: join(work, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: credentials };
    const run = await cli(['grade', '--snapshot', completeLab, '--profile', 'academy', '--format', 'json', '--out', join(work, 'academy-aws')], root, env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'academy-aws', 'scorecard.json'), 'utf8')).profile).toBe('own-account');
  });

  it('--lab-profile academy grades with the academy rubric profile', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--lab-profile', 'academy', '--format', 'json', '--out', join(work, 'academy-lab')]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'academy-lab', 'scorecard.json'), 'utf8')).profile).toBe('academy');
  });
});

describe('consumer options', () => {
  it('--manual-points exclude takes the review shares out of the Gradescope total', async () => {
    const out = join(work, 'reports-manual');
    const submission = join(root, 'examples/submission');
    const run = await cli(['grade', '--snapshot', completeLab, '--submission', submission, '--format', 'gradescope', '--manual-points', 'exclude', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    // With the student's test script, only 2.3's review share (0.50) is left to a person: the
    // tests are out of 9.50, the autograder points to set (results.json has no total of its own).
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { score: number; output: string; tests: { number: string; max_score: number }[] };
    expect(results.score).toBe(10.5);
    expect(results.output).toContain('**9.50/9.50 points**');
    expect(results.tests.filter((test) => test.number !== 'bonus').reduce((sum, test) => sum + Math.round(test.max_score * 100), 0)).toBe(950);
  });

  it('--manual-points takes only include or exclude (exit 2)', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--manual-points', 'some']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Allowed choices are include, exclude');
  });

  it('demo grades the bundled complete lab into every report format, from any folder', async () => {
    const out = join(work, 'demo');
    const run = await cli(['demo', '--out', out], work);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Total 9.50 / 10.00   Bonus 1.00 / 1.00');
    expect(readdirSync(out).sort()).toEqual(['classroom.b64', 'junit.xml', 'report.html', 'results.json', 'scorecard.json', 'summary.md']);
  });
});

describe('lab-grader rubric', () => {
  it('show lists every step with its checks and the totals (exit 0)', async () => {
    const run = await cli(['rubric', 'show']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\n {2}4\.7 +Set up an Application Load Balancer +1\.00 +elb\.load-balancer 0\.50\n/);
    expect(run.stdout).toContain('Total: 10.00 points + bonus 1.00');
  });

  it('lint exits 2 listing each problem at file:line:column', async () => {
    const bad = file('sums.yaml', rubricText.replace('    title: Amazon S3 setup and file management\n    points: 1.5', '    title: Amazon S3 setup and file management\n    points: 1.25'));
    const run = await cli(['rubric', 'lint', '--rubric', bad]);
    expectUserError(run, 2);
    expect(run.stderr).toMatch(/sums\.yaml:\d+:9: section 2 is worth 1\.25 but its steps add up to 1\.5: make them agree \[section-points\]/);
    expect(run.stderr).toMatch(/the sections add up to 9\.75 points; the lab is graded out of 10 \[lab-total\]/);
  });
});
