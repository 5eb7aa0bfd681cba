import { UCLOUD_RET_CODES } from '../../../handler/clouds/ucloud/errors';

/**
 * The RetCodes this emulator answers. The documented ones (the gateway's 110–299 and UHost's quota code
 * 8095) come from the handler's list of UCloud's documented codes. UCloud documents no key pair codes
 * (real-behaviour.md C2), so the rest are **the emulator's own choice**, in UHost's 8xxx range: a real
 * UCloud answers something else, or nothing at all (a duplicate name may even be accepted). The handler
 * never reads them, which is exactly what they are here to prove.
 */
export const EMULATOR_RET_CODES = {
  ...UCLOUD_RET_CODES,
  /** Emulator's choice: a parameter it refuses ("Params [X] not valid"; undocumented). */
  invalidParameter: 230,
  /** Emulator's choice: a name already used in the region and project (unless duplicate names are allowed). */
  keyPairNameDuplicate: 8510,
  /** Emulator's choice: a public key that is not one OpenSSH line. */
  publicKeyMalformed: 8511,
  /** Emulator's choice: a public key of a type UCloud does not import (anything but ssh-rsa, C1). */
  publicKeyTypeUnsupported: 8512,
  /** Emulator's choice: a key pair id that does not exist. */
  keyPairNotFound: 8513,
  /** Emulator's choice, only with `refuseBoundDeletes`: a key pair still used by an instance. */
  keyPairInUse: 8514,
} as const;
