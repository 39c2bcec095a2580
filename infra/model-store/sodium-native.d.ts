// sodium-native ships no types. This declares the part of its API redline uses (see its README for
// the rest); add to it rather than reaching for `any`.
declare module 'sodium-native' {
  namespace sodium {
    /** A buffer from `sodium_malloc`: guard pages around it, mlock'ed, freed when garbage collected. */
    interface SecureBuffer extends Buffer {
      secure?: true;
    }

    interface SodiumNative {
      sodium_malloc(size: number): SecureBuffer;
      sodium_free(buf: SecureBuffer): void;
      sodium_memzero(buf: ArrayBufferView): void;
      sodium_mlock(buf: ArrayBufferView): void;
      sodium_munlock(buf: ArrayBufferView): void;
      sodium_memcmp(a: ArrayBufferView, b: ArrayBufferView): boolean;
      sodium_is_zero(buf: ArrayBufferView, len?: number): boolean;
      randombytes_buf(buf: ArrayBufferView): void;

      crypto_pwhash(
        out: ArrayBufferView,
        passwd: ArrayBufferView,
        salt: ArrayBufferView,
        opslimit: number,
        memlimit: number,
        alg: number,
      ): void;
      crypto_pwhash_async(
        out: ArrayBufferView,
        passwd: ArrayBufferView,
        salt: ArrayBufferView,
        opslimit: number,
        memlimit: number,
        alg: number,
      ): Promise<void>;
      crypto_pwhash_ALG_ARGON2ID13: number;
      crypto_pwhash_SALTBYTES: number;
      crypto_pwhash_OPSLIMIT_MIN: number;
      crypto_pwhash_MEMLIMIT_MIN: number;
      crypto_pwhash_OPSLIMIT_INTERACTIVE: number;
      crypto_pwhash_MEMLIMIT_INTERACTIVE: number;
      crypto_pwhash_OPSLIMIT_MODERATE: number;
      crypto_pwhash_MEMLIMIT_MODERATE: number;
      crypto_pwhash_OPSLIMIT_SENSITIVE: number;
      crypto_pwhash_MEMLIMIT_SENSITIVE: number;

      crypto_kdf_derive_from_key(
        subkey: ArrayBufferView,
        subkeyId: number,
        ctx: ArrayBufferView,
        key: ArrayBufferView,
      ): void;
      crypto_kdf_KEYBYTES: number;
      crypto_kdf_CONTEXTBYTES: number;
    }
  }
  const sodium: sodium.SodiumNative;
  export = sodium;
}
