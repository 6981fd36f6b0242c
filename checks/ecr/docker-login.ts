import { answered, attempt, defineCheck, fail, partlyUnread, pass } from '../../src/check/define.js';
import { pushedImages } from './image-pushed.js';

const MAX_LISTED = 3;

export default defineCheck({
  id: 'ecr.docker-login',
  title: 'Docker authenticated to ECR',
  run(lab) {
    const trail = attempt(() => lab.read('ecrLoginEvents'));
    const logins = trail.ok
      ? [...trail.value].filter((event) => event.EventName === 'GetAuthorizationToken').sort((a, b) => ((a.EventTime ?? '') < (b.EventTime ?? '') ? 1 : -1))
      : [];
    if (logins.length > 0) {
      return pass([
        `CloudTrail: ${logins.length} ecr:GetAuthorizationToken call(s) (docker login), latest: ` +
          logins
            .slice(0, MAX_LISTED)
            .map((event) => `${event.Username ?? 'unknown user'} at ${event.EventTime}`)
            .join(', '),
      ]);
    }
    const trailLine = trail.ok
      ? 'CloudTrail: no ecr:GetAuthorizationToken call in the event history (it keeps 90 days)'
      : `CloudTrail unreadable (${answered(trail.unread)})`;
    const repository = lab.repository?.repositoryName;
    const latest = repository === undefined ? undefined : pushedImages(lab, repository)[0];
    if (repository !== undefined && latest) {
      // A push to ECR needs a token from GetAuthorizationToken, so a pushed image proves a login happened.
      return pass([
        trailLine,
        `repository ${repository}: image ${latest.imageTags?.join(', ') || latest.imageDigest} pushed at ${latest.imagePushedAt}, which required a docker login`,
      ]);
    }
    const evidence = [trailLine, repository ? `repository ${repository}: no image pushed` : 'no lab repository'];
    // Without CloudTrail and without an image there is no evidence either way: the grader is blind, not the student wrong.
    if (!trail.ok) return partlyUnread(0, trail.unread, evidence);
    const registry = `${lab.snapshot.account}.dkr.ecr.${lab.snapshot.region}.amazonaws.com`;
    return fail(
      `Authenticate Docker to ECR: \`aws ecr get-login-password --region ${lab.snapshot.region} | docker login --username AWS --password-stdin ${registry}\` ` +
        `then push the image to ${repository ?? 'the app\'s repository'}: CloudTrail shows no login and ${repository ? 'the repository holds no image' : 'no repository was found for the app'}.`,
      evidence,
    );
  },
});
