#!/usr/bin/env node
// The lab-grader command line: it only declares commands and options; each command lives in
// its own module, imported when it runs. The only place that calls process.exit.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { BonusMode, LmsName } from '../batch/lms.js';
import { EXTERNAL_ID, REGION, ROLE_ARN, STUDENT_ID } from '../role-names.js';
import { AwsAccessError, UsageError } from '../errors.js';
import { packageVersion } from '../package.js';
import { captureLibraryConsole } from './terminal.js';

// The SDK warns on Node 20 about SDK releases after January 2027; the lockfile pins the SDK,
// so students in CloudShell would only see noise above their checklist.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Exit codes: 0 graded, 1 graded below --min-score, 2 bad input, 3 AWS unreachable, 4 a batch left students ungraded, 5 a batch flagged students, 6 the lab is in another region than the one graded, 130/143 a batch interrupted, 70 a bug. */
const EXIT_BUG = 70;

function minScore(value: string): number {
  const score = Number(value);
  if (value.trim() === '' || !Number.isFinite(score) || score < 0) {
    throw new InvalidArgumentError('expected a number of points such as 7.5');
  }
  return score;
}

function isoTime(value: string): string {
  const time = Date.parse(value);
  if (value.trim() === '' || Number.isNaN(time)) throw new InvalidArgumentError('expected a date or date-time such as 2026-11-01 or 2026-11-01T09:00:00Z (UTC unless an offset is given)');
  return new Date(time).toISOString();
}

function matching(pattern: RegExp, what: string): (value: string) => string {
  return (value) => {
    if (!pattern.test(value.trim())) throw new InvalidArgumentError(`expected ${what}`);
    return value.trim();
  };
}

/** `--region`, checked by shape before any call: the SDK would put any other text in an endpoint's host name. */
function awsRegion(options: { auto: boolean }): (value: string) => string {
  return (value) => {
    const name = value.trim();
    if (REGION.test(name) || (options.auto && name === 'auto')) return name;
    throw new InvalidArgumentError(`expected an AWS region such as eu-west-1${options.auto ? ', or auto' : ''}`);
  };
}

function accountId(value: string): string {
  if (!/^\d{12}$/.test(value.trim())) throw new InvalidArgumentError('expected a 12-digit AWS account id');
  return value.trim();
}

/** `--deadline`: a bare date is due at the end of that day (UTC), as a syllabus means it. */
function deadlineTime(value: string): string {
  const day = /^\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(value);
  return day ? isoTime(`${day[1]}T23:59:59.999Z`) : isoTime(value);
}

const STUDENT_WORDS = 'a student id: 1-128 letters, digits or _+=,.@- (a roster id, an email, a login)';

/** The verification flags `grade` and `batch` share. */
function verificationOptions(command: Command): Command {
  return command
    .addOption(new Option('--integrity <mode>', 'warn: show integrity flags and keep the points; strict: 0 for a flag that convicts the student, shared evidence alone held for review (not counted)').choices(['warn', 'strict']).default('warn'))
    .option('--collected-after <time>', 'flag snapshots collected before the assignment opened (date or ISO date-time, UTC)', isoTime)
    .option('--collected-before <time>', 'flag snapshots collected after the assignment closed (date or ISO date-time, UTC)', isoTime)
    .option('--deadline <time>', "flag a lab, live or handed in, whose resources were created or changed after this (ISO date-time, UTC unless an offset is given; a date means the end of that day)", deadlineTime);
}

function collectParam(value: string, previous: string[]): string[] {
  if (!/^[^=]+=/.test(value)) throw new InvalidArgumentError('expected key.path=value, such as network.appPort=8080');
  return [...previous, value];
}

const GRADE_EXAMPLES = `
Examples:
  Regrade a saved snapshot offline (no AWS account needed):
    $ lab-grader grade --snapshot examples/complete-lab.snapshot.json

  Grade your own account live, with a named AWS profile, and keep the evidence:
    $ lab-grader grade --profile student --region eu-west-1 --save-snapshot snapshot.json

  Grade a student's account through the read-only role they created with \`lab-grader role --student alice\`'s set-up
  (their external id is derived from the course secret in LAB_GRADER_COURSE_SECRET):
    $ lab-grader grade --role-arn arn:aws:iam::210987654321:role/lab-grader-readonly --student alice --region auto

  Grade an AWS Academy / Learner Lab account:
    $ lab-grader grade --lab-profile academy

  Write every report format and fail CI below 8 points:
    $ lab-grader grade --snapshot snapshot.json --format console,json,junit,markdown,gradescope,classroom,html --out reports --min-score 8

  Gradescope, with the review shares of 2.3 and 6.2 left to a manual question:
    $ lab-grader grade --snapshot snapshot.json --format gradescope --manual-points exclude --out /autograder/results

  Override an expected value of the rubric:
    $ lab-grader grade --snapshot snapshot.json --param network.appPort=8080 --param ecs.requiredRoleName=null
`;

function positiveInteger(what: string, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < 1 || number > max) throw new InvalidArgumentError(`expected ${what} from 1 to ${max}`);
    return number;
  };
}

// Typed by the writers' names, so an LMS or a bonus mode cannot be added without being offered here, nor the
// reverse; only the types are imported, so starting the CLI loads no writer.
const LMS_CHOICES: Record<LmsName, true> = { canvas: true, blackboard: true, moodle: true };
const BONUS_CHOICES: Record<BonusMode, true> = { add: true, separate: true, ignore: true };

const BATCH_EXAMPLES = `
Examples:
  Grade a class of saved snapshots (roster.yaml lists each student's file):
    $ lab-grader batch roster.yaml --out reports/class

  Grade live accounts through a read-only role in each (the roster gives roleArn; each student's external id
  is derived from the course secret, as \`lab-grader role --student ID\` printed it for them):
    $ lab-grader batch roster.csv --course-secret-file course-secret --concurrency 8 --format html,junit

  Run again: students graded with another rubric, params, lab profile or lab-grader release
  are graded again from the evidence kept, the rest kept; --force grades everyone again from it:
    $ lab-grader batch roster.yaml --out reports/class --force

  Read every live student's account again (after the deadline was moved, say):
    $ lab-grader batch roster.csv --out reports/class --recollect

  Grade from Canvas's gradebook export (a snapshot or roleArn column added) and write the file Canvas imports:
    $ lab-grader batch canvas-export.csv --lms canvas --lms-assignment "AWS lab"

The roster format is described in docs/class-workflows.md.
`;

const WATCH_EXAMPLES = `
Examples:
  Watch your own account while you build the lab (Ctrl-C stops):
    $ lab-grader watch --profile student --region eu-west-1

  Every minute, on an AWS Academy account:
    $ lab-grader watch --lab-profile academy --interval 60

  Follow a student's account through their read-only role, one line a round:
    $ lab-grader watch --role-arn arn:aws:iam::210987654321:role/lab-grader-readonly --student alice --quiet
`;

/** `--role-arn`: `grade` or `watch` the student's account through their read-only role. */
function roleArnOption(verb: string): Option {
  return new Option('--role-arn <arn>', `${verb} the student's account through this read-only role, assumed with your own credentials`).argParser(
    matching(ROLE_ARN, 'an IAM role ARN such as arn:aws:iam::123456789012:role/lab-grader-readonly'),
  );
}

function externalIdOption(): Option {
  return new Option('--external-id <id>', "the external id the role's trust policy requires (with --role-arn); with --student it is derived from the course secret").argParser(
    matching(EXTERNAL_ID, 'an external id: 2-1224 letters, digits or +=,.@:/-'),
  );
}

function studentOption(): Option {
  return new Option('--student <id>', 'whose account --role-arn reads: the role session is named lab-grader-<id> and the external id derived from the course secret').argParser(
    matching(STUDENT_ID, STUDENT_WORDS),
  );
}

function courseSecretFileOption(): Option {
  return new Option('--course-secret-file <file>', "the course secret that derives each student's external id (default: LAB_GRADER_COURSE_SECRET)");
}

function allowOwnAccountOption(): Option {
  return new Option('--allow-own-account', "grade a role in your own grading account as a student's (a test account); refused otherwise").default(false);
}

/** `--aws-profile`, the AWS profile's flag before 0.2.0, still works but is no longer listed. */
function awsProfileAlias(): Option {
  return new Option('--aws-profile <name>', 'the same as --profile').hideHelp();
}

/** `--profile` (or its old spelling) as the `awsProfile` the commands take. */
function withAwsProfile<T extends { profile?: string; awsProfile?: string }>(options: T): T {
  const renamed = { ...options };
  if (renamed.profile !== undefined) renamed.awsProfile = renamed.profile;
  delete renamed.profile;
  return renamed;
}

/** The exit code the command that ran asked for. */
let commandExitCode = 0;

function buildProgram(): Command {
  const program = new Command('lab-grader')
    .version(packageVersion())
    .description('Grades the AWS MLOps lab: reads an AWS account read-only, probes its load balancer, scores every step against rubric.yaml.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 graded, 1 graded below --min-score, 2 bad input (rubric, snapshot, roster, flags), 3 AWS unreachable or credentials missing, 4 batch: some students could not be graded, 5 batch: all graded, some flagged by verification (4 wins over 5, 5 over 1), 6 grade: the region graded holds none of the lab, which is in another region (the report names it), 130 batch: interrupted by Ctrl-C, 143 by SIGTERM (the class so far is written).',
    );

  // The options a student needs come first (whose account, which region, which lab profile),
  // then the reports, then what instructors and CI add (a student's role, verification).
  verificationOptions(
    program
      .command('grade')
      .description('Grade an AWS account (live) or a saved snapshot (--snapshot) and write the reports.')
      .option('--profile <name>', 'the AWS credentials profile to collect with (default: the standard credential chain)')
      .addOption(awsProfileAlias())
      .option('--region <region>', 'the AWS region of the lab (default: from the AWS profile or environment); auto: the enabled region that holds the lab', awsRegion({ auto: true }))
      .option('--lab-profile <name>', 'the rubric profile: own-account (default) or academy (AWS Academy / Learner Lab)')
      .option('--snapshot <file>', 'regrade a saved snapshot offline instead of reading the account')
      .option('--save-snapshot <file>', 'write the collected snapshot (the evidence) as JSON, to regrade later')
      .option('--submission <dir>', "the student's project folder, to find their endpoint test script (step 6.2)")
      .option('--format <list>', 'report formats, comma-separated: console,json,junit,markdown,gradescope,classroom,html', 'console')
      .option('--out <dir>', 'folder for the report files; - prints the one --format on stdout', 'reports')
      .option('--min-score <points>', 'exit 1 when the score (bonus included) is below this', minScore)
      .option('--alb-url <url>', 'probe this URL instead of the load balancer found in the account (the report says so)')
      .option('--param <key.path=value>', "override one of the rubric's expected values (repeatable)", collectParam, [])
      .option('--rubric <file>', 'the rubric to grade against (default: the rubric.yaml shipped with lab-grader)')
      .option('--timeout <seconds>', 'the whole grade ends within this (default 300); facts not read by then are errors and the report is still written', positiveInteger('a number of seconds', 86400))
      .option('--no-color', 'no colour in the console report (also NO_COLOR; FORCE_COLOR=1 forces colour when piped)')
      .option('--quiet', 'print errors only: no progress, no notes, no console checklist (the exit code and files tell the rest)')
      .option('--verbose', 'log every AWS call (action, region, milliseconds, outcome) and every probe on stderr')
      .addOption(
        new Option('--manual-points <mode>', "gradescope and classroom: 'exclude' leaves the points a person judges to a manual question")
          .choices(['include', 'exclude'])
          .default('include'),
      )
      .addOption(roleArnOption('grade'))
      .addOption(externalIdOption())
      .addOption(studentOption())
      .addOption(courseSecretFileOption())
      .addOption(allowOwnAccountOption())
      .option('--account <id>', "the student's 12-digit AWS account: a snapshot from any other is flagged", accountId),
  )
    .addHelpText('after', GRADE_EXAMPLES)
    .action(async (options) => {
      const { gradeCommand } = await import('./commands/grade.js');
      commandExitCode = await gradeCommand(withAwsProfile(options));
    });

  program
    .command('demo')
    .description('Grade the bundled example of a complete lab (no AWS account needed) and write every report format.')
    .option('--out <dir>', 'folder for the report files', 'reports/demo')
    .option('--no-color', 'no colour in the console report')
    .action(async (options) => {
      const { demoCommand } = await import('./commands/demo.js');
      commandExitCode = await demoCommand(options);
    });

  const rubric = program.command('rubric').description('Check or show the rubric.');
  rubric
    .command('lint')
    .description('Check the rubric: points add up, every check id exists and is used, step ids are unique.')
    .option('--rubric <file>', 'the rubric to check (default: the rubric.yaml shipped with lab-grader)')
    .addHelpText('after', '\nExample:\n  $ lab-grader rubric lint --rubric my-rubric.yaml\n')
    .action(async (options) => {
      const { rubricLintCommand } = await import('./commands/rubric.js');
      commandExitCode = await rubricLintCommand(options);
    });
  rubric
    .command('show')
    .description('Print the rubric as a table: steps, points and the checks that grade them.')
    .option('--rubric <file>', 'the rubric to show (default: the rubric.yaml shipped with lab-grader)')
    .option('--lab-profile <name>', 'show the steps a rubric profile makes not applicable')
    // --profile was the rubric profile before 0.2.0: say what to write instead of commander's bare "unknown option".
    .addOption(new Option('--profile <name>').hideHelp())
    .addHelpText('after', '\nExample:\n  $ lab-grader rubric show --lab-profile academy\n')
    .action(async (options: { rubric?: string; labProfile?: string; profile?: string }) => {
      if (options.profile !== undefined) {
        throw new UsageError(
          `rubric show takes the rubric profile as --lab-profile (--profile names an AWS credentials profile, which the rubric does not use): lab-grader rubric show --lab-profile ${options.profile}`,
        );
      }
      const { rubricShowCommand } = await import('./commands/rubric.js');
      commandExitCode = await rubricShowCommand(options);
    });

  program
    .command('role')
    .description("Print a student's external id, derived from the course secret, and the one step that creates their read-only role with it.")
    .requiredOption('--student <id>', 'the student (repeatable): their roster id, or the identity Gradescope or Classroom gives', (value: string, previous: string[]) => [...previous, matching(STUDENT_ID, STUDENT_WORDS)(value)], [] as string[])
    .option('--grader-account <id>', 'the 12-digit account you grade from, which the role trusts (default: the account of your AWS credentials)', accountId)
    .option('--template-url <url>', 'the https URL of policy/lab-grader-role.cfn.yaml uploaded to S3: adds a CloudFormation quick-create link')
    .option('--region <region>', 'the console region of the quick-create link', awsRegion({ auto: false }), 'us-east-1')
    .option('--role-name <name>', "the role's name in each student account", matching(/^[\w+=,.@-]{1,64}$/, 'an IAM role name'), 'lab-grader-readonly')
    .option('--course-secret-file <file>', 'the course secret (default: LAB_GRADER_COURSE_SECRET)')
    .option('--profile <name>', 'the AWS profile of the account you grade from, when --grader-account is not given')
    .addHelpText(
      'after',
      '\nExamples:\n  $ openssl rand -hex 32 > course-secret      # once per course; keep it where only instructors read it\n' +
        '  $ lab-grader role --student alice --student bob --course-secret-file course-secret --grader-account 111122223333\n',
    )
    .action(async (options) => {
      const { roleCommand } = await import('./commands/role.js');
      commandExitCode = await roleCommand(withAwsProfile(options));
    });

  program
    .command('policy')
    .description('Print the least-privilege IAM policy grading needs (read-only: Describe, List, Get, Lookup).')
    .addHelpText(
      'after',
      '\nExamples:\n  $ lab-grader policy > lab-grader-policy.json\n' +
        '  $ aws iam create-policy --policy-name lab-grader-read-only --policy-document file://lab-grader-policy.json\n',
    )
    .action(async () => {
      const { policyCommand } = await import('./commands/policy.js');
      commandExitCode = await policyCommand();
    });

  verificationOptions(
    program
      .command('batch')
      .description('Grade a class from a roster: one folder per student, gradebook.csv and a class overview (index.html).')
      .argument('<roster>', 'the roster: YAML or CSV listing each student and how to reach their account')
      .option('--out <dir>', 'folder for the class: one sub-folder per student, gradebook.csv, index.html', 'reports/class')
      .option('--concurrency <n>', 'students graded at once', positiveInteger('a number of students', 64), 4)
      .option('--force', 'grade every student again from the evidence kept (their snapshot), even when nothing changed', false)
      .option('--recollect', "read every live student's account again (a new snapshot) instead of grading the one kept", false)
      .option('--format <list>', 'report files per student besides scorecard.json: html,junit,markdown,gradescope,classroom', 'html')
      .option('--rubric <file>', 'the rubric to grade against (default: the rubric.yaml shipped with lab-grader)')
      .option('--param <key.path=value>', "override one of the rubric's expected values (repeatable)", collectParam, [])
      .option('--region <region>', 'the AWS region for live students whose roster entry names none', awsRegion({ auto: false }))
      .option('--min-score <points>', 'exit 1 when any student scored (bonus included) below this', minScore)
      .option('--grace <seconds>', 'after Ctrl-C, how long the students being graded may finish before the class is written (default 10)', positiveInteger('a number of seconds', 3600))
      .option('--student-timeout <seconds>', 'a student not graded within this (default 600) is recorded as failed and the batch goes on', positiveInteger('a number of seconds', 86400))
      .addOption(new Option('--lms <name>', 'also write the file this LMS imports as it is, beside gradebook.csv (canvas.csv...)').choices(Object.keys(LMS_CHOICES)))
      .option('--lms-assignment <name>', "with --lms: the lab's assignment as the LMS names it (default: the lab's title, or the roster export's column of that title)")
      .addOption(new Option('--bonus <mode>', "with --lms: add the bonus to the lab's score, put it in a column of its own, or leave it out").choices(Object.keys(BONUS_CHOICES)))
      .option('--course-secret-file <file>', "the course secret that derives each role student's external id when the roster gives none (default: LAB_GRADER_COURSE_SECRET)")
      .addOption(allowOwnAccountOption()),
  )
    .addHelpText('after', BATCH_EXAMPLES)
    .action(async (roster: string, options) => {
      const { batchCommand } = await import('./commands/batch.js');
      commandExitCode = await batchCommand(roster, options);
    });

  program
    .command('watch')
    .description('Grade the live account every few seconds while you build the lab, showing what changed; Ctrl-C stops.')
    .option('--interval <seconds>', 'seconds between rounds', positiveInteger('a number of seconds', 3600), 30)
    .option('--rounds <n>', 'stop after this many rounds (default: until Ctrl-C)', positiveInteger('a number of rounds', 100000))
    .option('--rubric <file>', 'the rubric to grade against (default: the rubric.yaml shipped with lab-grader)')
    .option('--profile <name>', 'the AWS credentials profile to collect with (default: the standard credential chain)')
    .option('--lab-profile <name>', 'the rubric profile: own-account (default) or academy')
    .addOption(awsProfileAlias())
    .option('--region <region>', 'the AWS region of the lab (default: from the AWS profile or environment); auto: the enabled region that holds the lab', awsRegion({ auto: true }))
    .option('--param <key.path=value>', "override one of the rubric's expected values (repeatable)", collectParam, [])
    .option('--alb-url <url>', 'probe this URL instead of the load balancer found in the account')
    .option('--submission <dir>', "your project folder, to find your endpoint test script (step 6.2)")
    .option('--no-color', 'no colour in the checklist (also NO_COLOR; FORCE_COLOR=1 forces colour when piped)')
    .option('--compact', 'show only the steps that lost points or need a person, with their hints')
    .option('--timeout <seconds>', 'each round ends within this (default 300); facts not read by then are errors and the round is still shown', positiveInteger('a number of seconds', 86400))
    .option('--quiet', 'no checklist, notes or colour codes: one line a round with what changed, and errors')
    .option('--verbose', 'log every AWS call (action, region, milliseconds, outcome) and every probe on stderr')
    .addOption(roleArnOption('watch'))
    .addOption(externalIdOption())
    .addOption(studentOption())
    .addOption(courseSecretFileOption())
    .addOption(allowOwnAccountOption())
    .addHelpText('after', WATCH_EXAMPLES)
    .action(async (options) => {
      const { watchCommand } = await import('./commands/watch.js');
      commandExitCode = await watchCommand(withAwsProfile(options));
    });

  return program;
}

async function main(argv: string[]): Promise<number> {
  captureLibraryConsole(argv.includes('--verbose'));
  try {
    await buildProgram().parseAsync(argv);
    return commandExitCode;
  } catch (error) {
    // Commander has already printed its message (unknown option, missing argument...).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError || error instanceof AwsAccessError) {
      process.stderr.write(`lab-grader: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`lab-grader: unexpected error; this is a bug, please report it with the output below.\n`);
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (error instanceof Error && error.cause instanceof Error) process.stderr.write(`Caused by: ${error.cause.stack ?? error.cause.message}\n`);
    return EXIT_BUG;
  }
}

// No top-level await: the published bin runs this module as a function (see start.ts).
void main(process.argv).then((code) => process.exit(code));
