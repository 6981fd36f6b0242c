// What STS accepts as a role to assume and an external id: checked where they are read (the
// roster, the command line) without loading the AWS SDK.

/** An IAM role ARN as STS takes it. */
export const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** STS accepts 2-1224 characters of [\w+=,.@:/-]. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
