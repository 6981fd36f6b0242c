// The AWS SDK modules the fact definitions' readers use, handed to them by the collector so
// that the definitions themselves load no SDK code (an offline regrade never needs it).
import * as sts from '@aws-sdk/client-sts';
import * as iam from '@aws-sdk/client-iam';
import * as budgets from '@aws-sdk/client-budgets';
import * as s3 from '@aws-sdk/client-s3';
import * as s3control from '@aws-sdk/client-s3-control';
import * as ecr from '@aws-sdk/client-ecr';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import * as ecs from '@aws-sdk/client-ecs';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import type { Sdk } from '../facts/define.js';

export const SDK: Sdk = { sts, iam, budgets, s3, s3control, ecr, ec2, elb, ecs, logs, cloudwatch, cloudtrail };
