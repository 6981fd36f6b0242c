// Every grade belongs to the student it names, against an AWS stand-in: two students' accounts,
// each with the read-only role made from what `lab-grader role --student` printed for them. The
// stand-in checks sts:AssumeRole's trust as AWS does, so a role made for one student cannot be
// assumed while grading the other. These tests keep roles in the stand-in from first to last, so
// they run on a stand-in nothing empties meanwhile: the reference system's file's own when it is
// the only one (standin.test.ts, after its tests), or a second one of their own
// (identity.test.ts, with LAB_GRADER_STANDIN_SECOND_URL), beside that file's tests.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Snapshot } from '../../src/snapshot/types.js';
import { readGradebook } from '../batch/support.js';
import { ACCOUNT, CLI, REGION, REPO_ROOT, asAccount, bash, createGraderRole, node, nodeWith, printedRoleParameters } from './standin.js';

export function describeEveryGradeBelongs(standinUrl: string | undefined): void {
  describe.skipIf(!standinUrl)('every grade belongs to the student it names', { timeout: 300_000 }, () => {
    const url = standinUrl!;
    const alice = { id: 'alice@example.com', account: '210987654321', role: '' };
    const bob = { id: 'bob@example.com', account: '310987654321', role: '' };
    let dir: string;
    let secretFile: string;

    beforeAll(async () => {
      if (!existsSync(CLI)) throw new Error(`the suite runs the built CLI: run \`npm run build\` first (${CLI} is missing)`);
      dir = await mkdtemp(join(tmpdir(), 'lab-grader-identity-'));
      secretFile = join(dir, 'course-secret');
      await writeFile(secretFile, 'b3c1f0a49d8e7c6b5a4f3e2d1c0b9a8f\n');
      // Without --grader-account the roles trust the account of the grading credentials.
      const printed = await node(url, [CLI, 'role', '--student', alice.id, '--student', bob.id, '--course-secret-file', secretFile]);
      expect(printed.code, printed.stderr).toBe(0);
      for (const student of [alice, bob]) {
        const parameters = printedRoleParameters(printed.stdout, student.id);
        expect(parameters.GraderAccountId).toBe(ACCOUNT);
        student.role = await createGraderRole(url, student.account, parameters);
      }
      // Bob built a little of the lab in eu-west-1, where --region auto finds it.
      const ec2 = asAccount(new EC2Client({ endpoint: url, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }), bob.account);
      try {
        await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
      } finally {
        ec2.destroy();
      }
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const batch = async (name: string, roster: string) => {
      await writeFile(join(dir, `${name}.csv`), roster);
      // Alice is read through a profile of the instructor's config that assumes her role with her external id.
      const config = join(dir, 'config');
      const aliceId = printedRoleParameters((await node(url, [CLI, 'role', '--student', alice.id, '--grader-account', ACCOUNT, '--course-secret-file', secretFile])).stdout, alice.id).ExternalId;
      await writeFile(config, `[profile alice]\nrole_arn = ${alice.role}\nexternal_id = ${aliceId}\nrole_session_name = lab-grader-alice\ncredential_source = Environment\nregion = ${REGION}\n`);
      return nodeWith(url, [CLI, 'batch', join(dir, `${name}.csv`), '--out', join(dir, name), '--course-secret-file', secretFile, '--format', 'json'], { AWS_CONFIG_FILE: config });
    };
    const rowsOf = async (name: string) => readGradebook(await readFile(join(dir, name, 'gradebook.csv'), 'utf8')).rows;

    it("a roster where bob names alice's role: AWS refuses it, bob could not be graded with the cause, alice is graded and unflagged", async () => {
      const run = await batch('names-alice', `id,awsProfile,roleArn,region\n${alice.id},alice,,${REGION}\n${bob.id},,${alice.role},${REGION}\n`);
      expect(run.code, run.stderr).toBe(4);
      const rows = await rowsOf('names-alice');
      const aliceRow = rows.find((row) => row.student === alice.id)!;
      const bobRow = rows.find((row) => row.student === bob.id)!;
      expect(aliceRow).toMatchObject({ status: 'ok', integrity: '' });
      expect(bobRow.status).toBe('error');
      expect(bobRow.error).toContain(`could not assume ${alice.role} for student ${bob.id} (AccessDenied)`);
      expect(bobRow.error).toContain(`does not let your account assume it with ${bob.id}'s external id`);
      // Nothing of alice's account was read for bob.
      expect(existsSync(join(dir, 'names-alice', bob.id, 'snapshot.json'))).toBe(false);
    });

    it("with bob's own role both are graded, each their own account, and nobody is flagged", async () => {
      const run = await batch('own-roles', `id,awsProfile,roleArn,region\n${alice.id},alice,,${REGION}\n${bob.id},,${bob.role},${REGION}\n`);
      expect(run.code, run.stderr).toBe(0);
      const rows = await rowsOf('own-roles');
      expect(rows.map((row) => [row.student, row.status, row.integrity])).toEqual([
        [alice.id, 'ok', ''],
        [bob.id, 'ok', ''],
      ]);
      const bobSnapshot = JSON.parse(await readFile(join(dir, 'own-roles', bob.id, 'snapshot.json'), 'utf8')) as Snapshot;
      expect(bobSnapshot.account).toBe(bob.account);
      // The session name says in bob's CloudTrail whose grade read his account.
      expect(bobSnapshot.caller).toBe(`arn:aws:sts::${bob.account}:assumed-role/lab-grader-readonly/lab-grader-${bob.id}`);
    });

    /** Runs the Gradescope autograder for bob's submission, as Gradescope would, against the stand-in. */
    const autograde = async (name: string, files: Record<string, string>) => {
      const root = join(dir, name);
      await mkdir(join(root, 'source'), { recursive: true });
      await mkdir(join(root, 'submission'), { recursive: true });
      await writeFile(join(root, 'source', 'course-secret'), await readFile(secretFile, 'utf8'));
      await writeFile(join(root, 'source', 'aws-credentials'), '[course]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      await writeFile(
        join(root, 'submission_metadata.json'),
        JSON.stringify({ id: 1, created_at: new Date().toISOString(), assignment: { due_date: tomorrow, title: 'Lab' }, users: [{ email: bob.id, id: 2002, name: 'Bob Example' }] }),
      );
      for (const [file, text] of Object.entries(files)) await writeFile(join(root, 'submission', file), text);
      const run = await bash(url, [join(REPO_ROOT, 'docs/ci/gradescope/run_autograder')], {
        AUTOGRADER_ROOT: root,
        LAB_GRADER: `${process.execPath} ${CLI}`,
        // Only the autograder's own credentials file grades.
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
      });
      expect(run.code, run.stderr).toBe(0);
      return {
        results: JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8')) as { score: number; output: string; tests: unknown[] },
        snapshot: existsSync(join(root, 'results', 'snapshot.json')) ? (JSON.parse(await readFile(join(root, 'results', 'snapshot.json'), 'utf8')) as Snapshot) : undefined,
      };
    };

    /** Runs the GitHub Classroom template's grading step in bob's repository, as a runner would, against the stand-in. */
    const classroom = async (name: string, roleArn: string) => {
      const workflow = parse(await readFile(join(REPO_ROOT, 'docs/ci/classroom/classroom.yml'), 'utf8')) as { env: Record<string, string>; jobs: Record<string, { steps: { id?: string; run?: string }[] }> };
      const step = workflow.jobs['run-autograding-tests']!.steps.find((candidate) => candidate.id === 'labgrader')!;
      const repo = join(dir, name);
      const bin = join(dir, 'classroom-bin');
      await mkdir(repo, { recursive: true });
      await mkdir(bin, { recursive: true });
      await writeFile(join(bin, 'lab-grader'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
      await writeFile(join(repo, 'role-arn.txt'), `${roleArn}\n`);
      await writeFile(join(repo, 'github-output'), '');
      await writeFile(join(repo, 'step-summary'), '');
      const run = await bash(url, ['-e', '-c', step.run!], {
        ...workflow.env,
        PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
        // The repository Classroom made for bob; the secrets the course set; no other credentials.
        GITHUB_REPOSITORY: `example-class/${workflow.env.ASSIGNMENT_PREFIX}-bob`,
        LAB_GRADER_COURSE_SECRET: (await readFile(secretFile, 'utf8')).trim(),
        LAB_GRADER_AWS_ACCESS_KEY_ID: 'testing',
        LAB_GRADER_AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        GITHUB_OUTPUT: join(repo, 'github-output'),
        GITHUB_STEP_SUMMARY: join(repo, 'step-summary'),
      }, repo);
      expect(run.code, run.stderr).toBe(0);
      const line = (await readFile(join(repo, 'github-output'), 'utf8')).split('\n').find((candidate) => candidate.startsWith('result='))!;
      return JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf8')) as { status: string; tests: { name: string; score: number; message: string }[] };
    };

    it("Classroom: bob's repository naming alice's role is not graded on alice's account; his own role is graded live", async () => {
      // bob's role for Classroom, made for his GitHub login.
      const printed = await node(url, [CLI, 'role', '--student', 'bob', '--role-name', 'lab-grader-classroom', '--course-secret-file', secretFile]);
      const bobRole = await createGraderRole(url, bob.account, printedRoleParameters(printed.stdout, 'bob'));
      const refused = await classroom('classroom-alice-role', alice.role);
      expect(refused.status).toBe('error');
      expect(refused.tests).toEqual([expect.objectContaining({ score: 0, message: expect.stringContaining(`not graded: the role ${alice.role} does not trust your external id`) })]);
      const own = await classroom('classroom-own-role', bobRole);
      expect(own.tests.length).toBeGreaterThan(20);
      expect(own.tests.at(-1)!.name).toMatch(/^Grade: Points /);
    });

    it("Classroom: bob's repository naming a role in the course's own account is not graded, even one that trusts his external id", async () => {
      const printed = await node(url, [CLI, 'role', '--student', 'bob', '--role-name', 'lab-grader-classroom-test', '--course-secret-file', secretFile]);
      const courseRole = await createGraderRole(url, ACCOUNT, printedRoleParameters(printed.stdout, 'bob'));
      const refused = await classroom('classroom-course-role', courseRole);
      expect(refused.status).toBe('error');
      expect(refused.tests).toEqual([expect.objectContaining({ score: 0, message: expect.stringContaining(`not graded: the role ${courseRole} is in the course's own AWS account, not yours`) })]);
    });

    it("Gradescope: bob's submission with a role-arn.txt naming alice's role is not graded on alice's account", async () => {
      const { results, snapshot } = await autograde('gradescope-alice-role', { 'role-arn.txt': `${alice.role}\n` });
      expect(results.score).toBe(0);
      expect(results.tests).toEqual([]);
      expect(results.output).toContain(`Not graded: the role ${alice.role} does not trust your external id`);
      expect(snapshot).toBeUndefined();
    });

    it("Gradescope: bob's role-arn.txt naming a role in the course's own account is not graded, even one that trusts his external id", async () => {
      // An instructor's test role for bob, made in the account that grades.
      const printed = await node(url, [CLI, 'role', '--student', bob.id, '--role-name', 'lab-grader-course-test', '--course-secret-file', secretFile]);
      const courseRole = await createGraderRole(url, ACCOUNT, printedRoleParameters(printed.stdout, bob.id));
      const { results, snapshot } = await autograde('gradescope-course-role', { 'role-arn.txt': `${courseRole}\n` });
      expect(results.score).toBe(0);
      expect(results.tests).toEqual([]);
      expect(results.output).toContain(`Not graded: the role ${courseRole} is in the course's own AWS account, not yours`);
      expect(snapshot).toBeUndefined();
    });

    it("Gradescope: bob's own role, no account.txt: graded live, in the region that holds his lab", async () => {
      const { results, snapshot } = await autograde('gradescope-own-role', { 'role-arn.txt': `${bob.role}\n` });
      expect(results.output).toMatch(new RegExp(`^Graded live through your role ${bob.role.replace(/[/.]/g, '\\$&')}\\.`));
      expect(results.tests.length).toBeGreaterThan(20);
      expect(snapshot).toMatchObject({ account: bob.account, region: REGION, caller: `arn:aws:sts::${bob.account}:assumed-role/lab-grader-readonly/lab-grader-${bob.id}` });
    });
  });
}
