// Storage stage: the lab's admin group (1.2), model bucket (2.x) and image repository (3.x).
// Runs last, so the task definition the compute stage chose can point at its repository.
import type { Bucket, _Object } from '@aws-sdk/client-s3';
import type { Repository } from '@aws-sdk/client-ecr';
import type { Group } from '@aws-sdk/client-iam';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { FactUnavailable } from './facts.js';
import { entryIfRead, lazy } from './graph.js';
import type { Choice, FactReader, Lab } from './lab.js';
import type { Step } from './stage.js';
import { matchesHint } from '../facts/names.js';

/** What globSource makes of a leading `**\/`. */
const ANY_FOLDERS = '(?:.*/)?';

/** The source of globToRegExp's expression, without its anchors. */
function globSource(glob: string): string {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (glob.startsWith('**/', i)) {
      source += ANY_FOLDERS;
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}

/** A glob such as `**\/*.joblib` as a regular expression over S3 keys: `**\/` spans folders, `*` and `?` stay in one. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}

/**
 * One regular expression matching a key when any of the globs does. The folders every glob
 * starts with (`**\/`, as the rubric's all do) are matched once, before the alternatives: as
 * alternatives of their own, each of them read the key to its end and back again.
 */
export function anyGlobRegExp(globs: readonly string[]): RegExp {
  const bodies = globs.map(globSource);
  const shared = bodies.length > 0 && bodies.every((body) => body.startsWith(ANY_FOLDERS)) ? ANY_FOLDERS : '';
  return new RegExp(`^${shared}(?:${bodies.map((body) => body.slice(shared.length)).join('|')})$`);
}

// One alternation per pattern list, built once: a large account lists thousands of keys.
const modelFilePatterns = new WeakMap<readonly string[], RegExp>();

/** The objects whose keys match the rubric's model-file patterns (empty ones included: the check says so). */
export function modelFileObjects(objects: readonly Json<_Object>[], params: LabParams): Json<_Object>[] {
  const globs = params.bucket.modelFiles;
  let pattern = modelFilePatterns.get(globs);
  if (!pattern) {
    pattern = anyGlobRegExp(globs);
    modelFilePatterns.set(globs, pattern);
  }
  const matcher = pattern;
  return objects.filter((object) => object.Key !== undefined && matcher.test(object.Key));
}

/** True when the container image is in the repository (`<uri>`, `<uri>:<tag>` or `<uri>@<digest>`). */
export function imageInRepository(image: string, repository: Json<Repository>): boolean {
  const uri = repository.repositoryUri;
  if (uri === undefined) return false;
  return image === uri || image.startsWith(`${uri}:`) || image.startsWith(`${uri}@`);
}

/** The container images a task definition runs. */
export function taskDefinitionImages(taskDefinition: Json<TaskDefinition> | undefined): string[] {
  return (taskDefinition?.containerDefinitions ?? []).flatMap((container) => (container.image ? [container.image] : []));
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Buckets that AWS tools create on their own; never the student's lab bucket by default. */
const TOOL_BUCKET_PREFIXES = ['cf-templates-', 'aws-cloudtrail-logs-', 'elasticbeanstalk-', 'sagemaker-', 'cdk-', 'aws-athena-query-results-'];

function resolveAdminGroup(facts: FactReader, params: LabParams): { adminGroup?: Json<Group>; choice: Choice } {
  const groups = facts.read('groups');
  const wanted = params.iam.adminGroup.toLowerCase();
  // IAM group names are unique regardless of case, so `Admin` is the lab's `admin`.
  const named = groups.find((group) => group.GroupName?.toLowerCase() === wanted);
  if (named) {
    return {
      adminGroup: named,
      choice: {
        resource: 'adminGroup',
        chosen: named.GroupName ?? null,
        candidates: groups.length,
        why: `named ${params.iam.adminGroup}, as the lab asks`,
      },
    };
  }
  const withPolicy = groups
    .filter((group) => {
      const name = group.GroupName;
      // A group whose policies the collector did not read (beyond its bound) is not known to have it.
      return entryIfRead(facts, 'groupPolicies', name, []).some((policy) => policy.PolicyArn === params.iam.adminPolicyArn);
    })
    .sort((a, b) => byName(a.GroupName ?? '', b.GroupName ?? ''));
  const chosen = withPolicy[0];
  return {
    adminGroup: chosen,
    choice: {
      resource: 'adminGroup',
      chosen: chosen?.GroupName ?? null,
      candidates: groups.length,
      why: chosen
        ? `no group is named ${params.iam.adminGroup}; ${chosen.GroupName} has AdministratorAccess attached` +
          (withPolicy.length > 1 ? ` (first by name of ${withPolicy.length} such groups)` : '')
        : `no group is named ${params.iam.adminGroup} and none has AdministratorAccess attached`,
    },
  };
}

function resolveBucket(facts: FactReader, params: LabParams): { bucket?: Json<Bucket>; choice: Choice } {
  const ranked = facts
    .read('buckets')
    .filter((bucket): bucket is Json<Bucket> & { Name: string } => bucket.Name !== undefined)
    .map((bucket) => {
      // Objects the collector did not list (it lists the lab-like buckets first) hold no model files it knows of.
      const modelFiles = lazy(
        () => modelFileObjects(entryIfRead(facts, 'bucketObjects', bucket.Name, []), params).filter((object) => (object.Size ?? 0) > 0).length,
      );
      return {
        bucket,
        modelFiles,
        holdsModel: () => modelFiles() >= params.bucket.minModelFiles,
        hinted: matchesHint(bucket.Name, params.bucket.nameHints),
        tool: TOOL_BUCKET_PREFIXES.some((prefix) => bucket.Name.startsWith(prefix)),
      };
    })
    .sort(
      (a, b) =>
        Number(b.holdsModel()) - Number(a.holdsModel()) ||
        Number(b.hinted) - Number(a.hinted) ||
        b.modelFiles() - a.modelFiles() ||
        byName(a.bucket.Name, b.bucket.Name),
    );
  const candidates = ranked.length;
  const best = ranked[0];
  const why = (reason: string): string => (candidates > 1 ? `${reason}; ${candidates} buckets in the account` : reason);
  if (best?.holdsModel()) {
    const rivals = ranked.filter((entry) => entry.holdsModel()).length;
    return {
      bucket: best.bucket,
      choice: {
        resource: 'bucket',
        chosen: best.bucket.Name,
        candidates,
        why: why(
          `holds ${best.modelFiles()} model file(s)` +
            (best.hinted ? ` and its name matches a hint (${params.bucket.nameHints.join(', ')})` : '') +
            (rivals > 1 ? `; first of ${rivals} buckets holding model files (by name hint, file count, then name)` : ''),
        ),
      },
    };
  }
  if (best?.hinted) {
    return {
      bucket: best.bucket,
      choice: {
        resource: 'bucket',
        chosen: best.bucket.Name,
        candidates,
        why: why(`no bucket holds model files; the name matches a hint (${params.bucket.nameHints.join(', ')})`),
      },
    };
  }
  const own = ranked.filter((entry) => !entry.tool);
  if (own.length === 1 && own[0]) {
    return {
      bucket: own[0].bucket,
      choice: {
        resource: 'bucket',
        chosen: own[0].bucket.Name,
        candidates,
        why: why('no bucket holds model files or matches a name hint; it is the only bucket not created by an AWS tool'),
      },
    };
  }
  return {
    choice: {
      resource: 'bucket',
      chosen: null,
      candidates,
      why: why(`no bucket holds model files or has a name matching ${params.bucket.nameHints.join(', ')}`),
    },
  };
}

function resolveRepository(lab: Lab, params: LabParams): { repository?: Json<Repository>; choice: Choice } {
  const repositories = [...lab.read('repositories')].sort((a, b) => byName(a.repositoryName ?? '', b.repositoryName ?? ''));
  const candidates = repositories.length;
  const choose = (repository: Json<Repository> | undefined, why: string) => ({
    ...(repository ? { repository } : {}),
    choice: { resource: 'repository' as const, chosen: repository?.repositoryName ?? null, candidates, why },
  });
  let taskDefinition: Json<TaskDefinition> | undefined;
  try {
    taskDefinition = lab.taskDefinition;
  } catch (error) {
    // The image a task definition runs, its name or being the only one: the only repository is chosen by every rule.
    if (!(error instanceof FactUnavailable) || repositories.length !== 1) throw error;
    return choose(repositories[0], `the only repository in the region (${error.call} could not be read)`);
  }
  const images = taskDefinitionImages(taskDefinition);
  const used = repositories.find((repository) => images.some((image) => imageInRepository(image, repository)));
  if (used) return choose(used, `the lab's task definition ${taskDefinition?.family}:${taskDefinition?.revision} runs its image`);
  const hinted = repositories.filter((repository) => matchesHint(repository.repositoryName ?? '', params.repository.nameHints));
  if (hinted[0]) {
    return choose(
      hinted[0],
      `its name matches a hint (${params.repository.nameHints.join(', ')})` +
        (hinted.length > 1 ? `, first by name of ${hinted.length} such repositories` : ''),
    );
  }
  if (repositories.length === 1) return choose(repositories[0], 'the only repository in the region');
  return choose(
    undefined,
    candidates === 0
      ? 'the region has no repository'
      : `none of ${candidates} repositories is used by the lab's task definition or named like ${params.repository.nameHints.join(', ')}`,
  );
}

const adminGroupStep: Step<'adminGroup'> = {
  resources: ['adminGroup'],
  choose({ lab, params }) {
    const { adminGroup, choice } = resolveAdminGroup(lab, params);
    return { resolved: { adminGroup }, choices: [choice] };
  },
};

const bucketStep: Step<'bucket'> = {
  resources: ['bucket'],
  choose({ lab, params }) {
    const { bucket, choice } = resolveBucket(lab, params);
    return { resolved: { bucket }, choices: [choice] };
  },
};

const repositoryStep: Step<'repository'> = {
  resources: ['repository'],
  choose({ lab, params }) {
    const { repository, choice } = resolveRepository(lab, params);
    return { resolved: { repository }, choices: [choice] };
  },
};

/** The storage stage; last, so the task definition the compute stage chose can point at its repository. */
export const storageSteps = [adminGroupStep, bucketStep, repositoryStep] as const;
