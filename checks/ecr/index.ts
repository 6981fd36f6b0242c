import type { CheckDefinition } from '../../src/check/define.js';
import aes256Encryption from './aes256-encryption.js';
import dockerLogin from './docker-login.js';
import imagePushed from './image-pushed.js';
import repository from './repository.js';
import versionTag from './version-tag.js';

export const ecrChecks: CheckDefinition[] = [repository, aes256Encryption, dockerLogin, versionTag, imagePushed];
