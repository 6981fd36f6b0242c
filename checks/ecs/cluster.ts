import { defineCheck, fail, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'ecs.cluster',
  title: 'An ECS cluster exists and is ACTIVE',
  run(lab, params) {
    const cluster = lab.cluster;
    const example = `e.g. ${params.ecs.clusterNameHints[0]}-app-cluster`;
    if (!cluster) {
      const count = lab.read('clusters').length;
      return fail(`Create an ECS cluster (${example}).`, [`${count} ECS cluster(s) in the account, none is the lab's`]);
    }
    if (cluster.status !== 'ACTIVE') {
      return fail(`Cluster ${cluster.clusterName} is ${cluster.status}: create an ACTIVE cluster (${example}).`, [
        `cluster ${cluster.clusterName} is ${cluster.status}`,
      ]);
    }
    return pass([`cluster ${cluster.clusterName} is ACTIVE`]);
  },
});
