/**
 * Every column that holds a value encrypted under HOOKYARD_MASTER_KEY (lib/secrets/encryption.ts),
 * with the additional data each row's value was encrypted with. The master-key rotation
 * (rotate-master-key.ts) re-encrypts exactly these, so a column missing here would be left under
 * the old key and become unreadable once that key is dropped. tests/unit/encrypted-columns.test.ts
 * reads prisma/schema.prisma and fails when a Bytes column is in neither list below.
 */

export interface EncryptedColumn {
  /** Table and column names in Postgres (snake_case, as @@map/@map name them). */
  table: string;
  column: string;
  /** The model field in schema.prisma, for the schema check. */
  model: string;
  field: string;
  /** The AES-GCM additional data of the row's value, from its primary key. */
  aad: (id: string) => string;
}

/** AAD of a broker destination's URL password: namespaced, so it cannot pass for a secrets row of the same id. */
export const destinationUrlAad = (destinationId: string) => `destination-url:${destinationId}`;

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  // Source verification secrets, destination and notification-channel signing secrets.
  { table: 'secrets', column: 'ciphertext', model: 'Secret', field: 'ciphertext', aad: (id) => id },
  // The password of a broker destination's URL (lib/destinations/broker-url.ts).
  { table: 'destinations', column: 'url_password', model: 'Destination', field: 'urlPassword', aad: destinationUrlAad },
  // Slack and webhook notification channels' URLs (lib/notifications/manage-channels.ts).
  { table: 'notification_channels', column: 'url_ciphertext', model: 'NotificationChannel', field: 'urlCiphertext', aad: (id) => id },
];

/** Bytes columns that are not encrypted, and why: the schema check accepts these. */
export const PLAINTEXT_BYTES_COLUMNS: readonly { model: string; field: string; why: string }[] = [
  { model: 'Event', field: 'body', why: 'the webhook body as received, shown to every role' },
  { model: 'RejectedRequest', field: 'bodyPreview', why: 'the first 4 KiB of a refused request, shown to every role' },
  { model: 'Attempt', field: 'responseBody', why: "the receiver's answer, shown to every role" },
];
