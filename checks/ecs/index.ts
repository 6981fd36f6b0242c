import type { CheckDefinition } from '../../src/check/define.js';
import cluster from './cluster.js';
import service from './service.js';
import serviceLoadBalancer from './service-load-balancer.js';
import serviceNetwork from './service-network.js';
import serviceRunning from './service-running.js';
import taskDefinition from './task-definition.js';

export const ecsChecks: CheckDefinition[] = [cluster, taskDefinition, service, serviceNetwork, serviceLoadBalancer, serviceRunning];
