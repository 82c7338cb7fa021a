/**
 * Message attributes on the wire: validation on send, the MD5 digest SQS returns for them, and the name filter of
 * ReceiveMessage. Rules from https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 * and https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html.
 */
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from '../sqs';
import { invalidParameter, SqsApiError } from './errors';
import { isObject } from './wire';

/** "Each message can have up to 10 attributes" (sqs-message-metadata.html). */
export const MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_NAME_LENGTH = 256;
const MAX_DATA_TYPE_LENGTH = 256;
const NAME_CHARACTERS = /^[A-Za-z0-9_.-]+$/;
const RESERVED_PREFIX = /^(aws\.|amazon\.)/i;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;

/** The wire form: `{ DataType, StringValue? | BinaryValue? (base64) }`. */
export type WireAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

/**
 * The message attributes of a send, checked as SQS documents them: at most 10; a name of up to 256 characters
 * from [A-Za-z0-9_.-], not starting with `AWS.` or `Amazon.` (any case), not starting or ending with a period, no
 * `..`; a DataType of String, Number or Binary with an optional `.label`, up to 256 characters; a non-empty value
 * of the matching kind (StringValue for String and Number, BinaryValue for Binary). Every failure answers
 * InvalidParameterValue.
 */
export function parseMessageAttributes(value: unknown, member = 'MessageAttributes'): Record<string, MessageAttributeValue> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalidParameter(member, value, 'must be a map of attribute name to value.');
  const entries = Object.entries(value);
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameter(member, `${entries.length} attributes`, `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  const parsed: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of entries) {
    const where = `${member}.${name}`;
    const nameValid =
      name.length >= 1 && name.length <= MAX_NAME_LENGTH && NAME_CHARACTERS.test(name) && !RESERVED_PREFIX.test(name) &&
      !name.startsWith('.') && !name.endsWith('.') && !name.includes('..');
    if (!nameValid) {
      throw invalidParameter(`${member}.Name`, name, 'Message attribute name can only contain alphanumeric characters, hyphens, underscores and periods, up to 256 characters, must not start with AWS. or Amazon., must not start or end with a period and must not contain successive periods.');
    }
    if (!isObject(attribute)) throw invalidParameter(where, attribute, 'must be a MessageAttributeValue.');
    const dataType = attribute.DataType;
    if (typeof dataType !== 'string' || dataType === '') {
      throw new SqsApiError('InvalidParameterValue', `The message attribute '${name}' must contain a non-empty message attribute type (${where}.DataType).`);
    }
    const kind = DATA_TYPE.exec(dataType)?.[1] as MessageAttributeValue['dataType'] | undefined;
    if (!kind || dataType.length > MAX_DATA_TYPE_LENGTH) {
      throw new SqsApiError('InvalidParameterValue', `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String (${where}.DataType).`);
    }
    if (kind === 'Binary') {
      const binary = attribute.BinaryValue;
      if (typeof binary !== 'string' || binary === '') {
        throw new SqsApiError('InvalidParameterValue', `Message (user) attribute '${name}' must contain a non-empty value of type 'Binary' (${where}.BinaryValue).`);
      }
      parsed[name] = { dataType: kind, binaryValue: binary };
    } else {
      const text = attribute.StringValue;
      if (typeof text !== 'string' || text === '') {
        throw new SqsApiError('InvalidParameterValue', `Message (user) attribute '${name}' must contain a non-empty value of type '${kind}' (${where}.StringValue).`);
      }
      if (kind === 'Number' && !Number.isFinite(Number(text))) {
        throw new SqsApiError('InvalidParameterValue', `Value ${text} for parameter ${where}.StringValue is invalid. Reason: the value of a Number attribute must be a number.`);
      }
      parsed[name] = { dataType: kind, stringValue: text };
    }
    if (dataType !== kind) parsed[name]!.label = dataType.slice(kind.length + 1);
  }
  return parsed;
}

/** The DataType as sent and returned: the kind, with its custom label when there is one. */
export function dataTypeOf(value: MessageAttributeValue): string {
  return value.label === undefined ? value.dataType : `${value.dataType}.${value.label}`;
}

/** The bytes a message's attributes count toward its size: names, data types and values (quotas-messages.html). */
export function attributesSize(attributes: Record<string, MessageAttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(dataTypeOf(value), 'utf8');
    size += value.binaryValue !== undefined ? Buffer.from(value.binaryValue, 'base64').length : Buffer.byteLength(value.stringValue ?? '', 'utf8');
  }
  return size;
}

/**
 * MD5OfMessageAttributes as SQS computes it
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation):
 * attributes sorted by name; for each, the name, the data type and the value, each as a 4-byte big-endian length
 * followed by its bytes, with a transport byte (1 string, 2 binary) before the value; MD5 of the whole, in hex.
 * Undefined for no attributes: SQS then leaves the member out.
 */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const value = attributes[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(dataTypeOf(value), 'utf8'));
    if (value.binaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      field(Buffer.from(value.binaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(value.stringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

export function toWireAttributes(attributes: Record<string, MessageAttributeValue>): WireAttributes {
  const wire: WireAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    wire[name] = {
      DataType: dataTypeOf(value),
      ...(value.stringValue !== undefined ? { StringValue: value.stringValue } : {}),
      ...(value.binaryValue !== undefined ? { BinaryValue: value.binaryValue } : {}),
    };
  }
  return wire;
}

/**
 * The attributes ReceiveMessage returns for MessageAttributeNames (API_ReceiveMessage): none unless asked; `All`,
 * `.*` (and `*`) for every one; `prefix.*` for those whose name starts with `prefix`; otherwise exact names. The
 * prefix reading is SQS's observed one, not the docs' `bar.*` example: `Hel.*` returns `Hello` and `Help.Me`
 * (a real answer recorded by the LocalStack project, test_receive_message_message_attribute_names_filters).
 */
export function selectAttributes(attributes: Record<string, MessageAttributeValue>, requested: readonly string[]): Record<string, MessageAttributeValue> {
  if (requested.length === 0) return {};
  if (requested.some((r) => r === 'All' || r === '.*' || r === '*')) return attributes;
  const selected: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = requested.some((r) => (r.endsWith('.*') ? name.startsWith(r.slice(0, -2)) : r === name));
    if (wanted) selected[name] = value;
  }
  return selected;
}
