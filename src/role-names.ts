// What STS accepts as a role to assume and an external id, and what a region name looks like:
// checked where they are read (the roster, the command line) without loading the AWS SDK.

/** An IAM role ARN as STS takes it. */
export const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** STS accepts 2-1224 characters of [\w+=,.@:/-]. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/**
 * An AWS region name (`eu-west-1`, `us-gov-west-1`, `cn-north-1`): the SDK puts it in every
 * endpoint's host name, so anything else (`eu-west-1.evil.example`) is refused before a call.
 */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
