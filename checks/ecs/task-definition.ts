import { answered, attempt, defineCheck, fail, partial, pass } from '../../src/check/define.js';
import { appContainer, nameFromArn } from '../../src/resolve/compute.js';

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

export default defineCheck({
  id: 'ecs.task-definition',
  title: 'The service runs a Fargate task definition as the lab specifies',
  run(lab, params) {
    const td = lab.taskDefinition;
    if (!td) {
      return fail('Create a task definition for Fargate and run it in the lab service.', ['no task definition found for the lab']);
    }
    const name = `${td.family}:${td.revision}`;
    const { appPort } = params.network;
    const { cpu, memoryMiB, cpuArchitecture, operatingSystemFamily, requiredRoleName } = params.ecs;
    const evidence: string[] = [`task definition ${name}`];
    const notes: string[] = [];
    const misses: string[] = [];
    const part = (ok: boolean, observed: string, asked: string): void => {
      evidence.push(`${ok ? 'ok' : 'miss'}: ${observed}`);
      if (!ok) misses.push(asked);
    };

    const compat = td.requiresCompatibilities ?? [];
    part(compat.includes('FARGATE'), `requires compatibilities [${compat.join(', ')}]`, 'launch type AWS Fargate');
    part(td.networkMode === 'awsvpc', `network mode ${td.networkMode ?? 'default (bridge)'}`, 'network mode awsvpc');
    part(
      Number(td.cpu) === cpu && Number(td.memory) === memoryMiB,
      `cpu ${td.cpu ?? 'unset'} units, memory ${td.memory ?? 'unset'} MiB`,
      `${cpu / 1024} vCPU / ${memoryMiB / 1024} GB (cpu ${cpu}, memory ${memoryMiB})`,
    );
    if (td.runtimePlatform) {
      const { operatingSystemFamily: os, cpuArchitecture: arch } = td.runtimePlatform;
      part(os === operatingSystemFamily && arch === cpuArchitecture, `runtime platform ${os}/${arch}`, `${operatingSystemFamily.toLowerCase()}/${cpuArchitecture}`);
    } else {
      part(true, 'no runtime platform set', '');
      notes.push('No runtimePlatform is set: on Fargate that defaults to Linux/X86_64.');
    }
    const roles = [
      ['task role', td.taskRoleArn],
      ['execution role', td.executionRoleArn],
    ] as const;
    const rolesOk = roles.every(([, arn]) => arn && (requiredRoleName === null || nameFromArn(arn)?.toLowerCase() === requiredRoleName.toLowerCase()));
    part(
      rolesOk,
      roles.map(([label, arn]) => `${label} ${nameFromArn(arn) ?? 'unset'}`).join(', '),
      requiredRoleName ? `task role and execution role ${requiredRoleName}` : 'a task role and an execution role',
    );

    const container = appContainer(td, appPort);
    const image = container?.image ?? '';
    const ecr = ECR_IMAGE.exec(image);
    // Which repository the image is in only names it in the evidence; the part is judged on the image's URI.
    const repositories = attempt(() => lab.read('repositories'));
    const repository = ecr && repositories.ok ? repositories.value.find((candidate) => candidate.repositoryName === ecr[2]) : undefined;
    const fromAccountEcr = ecr !== null && ecr[1] === lab.snapshot.account;
    part(
      fromAccountEcr,
      `image ${image || 'unset'}${repository ? ` (ECR repository ${repository.repositoryName})` : ''}`,
      "an image from the lab's ECR repository (the URI the image was pushed to)",
    );
    if (fromAccountEcr && !repository) {
      notes.push(
        repositories.ok
          ? `ECR repository ${ecr?.[2]} is not among the account's repositories that were read.`
          : `The account's ECR repositories could not be read (${answered(repositories.unread)}).`,
      );
    }

    const ports = (td.containerDefinitions ?? []).flatMap((definition) => definition.portMappings ?? []).map((mapping) => mapping.containerPort);
    part(ports.includes(appPort), `container ports [${ports.join(', ')}]`, `container port ${appPort}`);

    const logging = container?.logConfiguration;
    part(
      logging?.logDriver === 'awslogs' && Boolean(logging.options?.['awslogs-group']),
      `log driver ${logging?.logDriver ?? 'none'}${logging?.options?.['awslogs-group'] ? ` to ${logging.options['awslogs-group']}` : ''}`,
      'log collection with awslogs (CloudWatch Logs)',
    );

    const total = 8;
    if (misses.length === 0) return pass(evidence, notes);
    const hint = `Task definition ${name} should have: ${misses.join('; ')}. Register a new revision and update the service to use it.`;
    if (misses.length === total) return fail(hint, evidence, notes);
    return partial((total - misses.length) / total, hint, evidence, notes);
  },
});
