/** The Pulumi program's entry point (`pulumi up` in this directory). */
import { fullStack } from './index';

const stack = fullStack();
export const interruptionQueue = stack.pool.interruptionQueueName;
export const nodeRole = stack.pool.nodeRoleName;
export const serviceName = stack.llama.serviceName;
