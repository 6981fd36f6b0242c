import type { CheckDefinition } from '../../src/check/define.js';
import listener from './listener.js';
import loadBalancer from './load-balancer.js';
import targetGroup from './target-group.js';

export const elbChecks: CheckDefinition[] = [loadBalancer, listener, targetGroup];
