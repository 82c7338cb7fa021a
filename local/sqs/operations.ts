/**
 * The SQS operations a LocalQueue can really back, by name, each validating its input as the SQS API reference
 * documents it (the page of each operation is cited where its rules are) and answering the errors the official
 * API model declares for it, or SQS's common errors (./errors.ts).
 */
import { createHash } from 'node:crypto';
import {
  InvalidParameterValueError,
  MessageNotInflightError,
  ReceiptHandleIsInvalidError,
  ReceiptHandleOfGoneMessageError,
  StaleReceiptHandleError,
  type LocalQueue,
  type MessageAttributeValue,
  type ReceivedMessage,
} from '../sqs';
import { invalidParameter, missingParameter, SqsApiError, type SqsErrorName } from './errors';
import { attributesSize, md5OfAttributes, parseMessageAttributes, selectAttributes, toWireAttributes } from './message-attributes';
import { queueAttributes, type QueueDirectory } from './queues';
import { isObject, optionalInteger, optionalString, requiredInteger, requiredString, stringList, type JsonObject } from './wire';

/** Every operation of the SQS API (the official model's `operations`); X-Amz-Target names anything else: InvalidAction. */
export const SQS_API_OPERATIONS = [
  'AddPermission', 'CancelMessageMoveTask', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch', 'CreateQueue',
  'DeleteMessage', 'DeleteMessageBatch', 'DeleteQueue', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks', 'ListQueueTags', 'ListQueues', 'PurgeQueue', 'ReceiveMessage', 'RemovePermission', 'SendMessage',
  'SendMessageBatch', 'SetQueueAttributes', 'StartMessageMoveTask', 'TagQueue', 'UntagQueue',
] as const;

/** The operations served; any other operation of the API answers UnsupportedOperation, which every operation declares. */
export const SERVED_OPERATIONS = [
  'GetQueueUrl', 'GetQueueAttributes', 'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch',
  'ChangeMessageVisibility',
] as const;

export type ServedOperation = (typeof SERVED_OPERATIONS)[number];

export const isServed = (operation: string): operation is ServedOperation => (SERVED_OPERATIONS as readonly string[]).includes(operation);

/** Errors any served operation can answer: input errors, IAM, and a defect of the model (InternalFailure). */
const EVERY_OPERATION: readonly SqsErrorName[] = [
  'MissingParameter', 'InvalidParameterValue', 'AccessDenied', 'InvalidClientTokenId', 'MissingAuthenticationToken', 'InternalFailure',
];
const QUEUE_URL: readonly SqsErrorName[] = ['QueueDoesNotExist', 'InvalidAddress'];
const BATCH: readonly SqsErrorName[] = ['EmptyBatchRequest', 'TooManyEntriesInBatchRequest', 'InvalidBatchEntryId', 'BatchEntryIdsNotDistinct'];

/**
 * Every error each operation can answer as a whole (the server refuses to answer any other: see ./server.ts), and
 * the codes a batch operation can report for one entry in `Failed` (those of the single operation it batches).
 */
export const OPERATION_ERRORS: Record<ServedOperation, { request: readonly SqsErrorName[]; entry?: readonly SqsErrorName[] }> = {
  GetQueueUrl: { request: [...EVERY_OPERATION, 'QueueDoesNotExist'] },
  GetQueueAttributes: { request: [...EVERY_OPERATION, ...QUEUE_URL, 'InvalidAttributeName'] },
  SendMessage: { request: [...EVERY_OPERATION, ...QUEUE_URL, 'InvalidMessageContents'] },
  SendMessageBatch: {
    request: [...EVERY_OPERATION, ...QUEUE_URL, ...BATCH, 'BatchRequestTooLong'],
    entry: ['MissingParameter', 'InvalidParameterValue', 'InvalidMessageContents'],
  },
  ReceiveMessage: { request: [...EVERY_OPERATION, ...QUEUE_URL] },
  DeleteMessage: { request: [...EVERY_OPERATION, ...QUEUE_URL, 'ReceiptHandleIsInvalid'] },
  DeleteMessageBatch: { request: [...EVERY_OPERATION, ...QUEUE_URL, ...BATCH], entry: ['MissingParameter', 'ReceiptHandleIsInvalid'] },
  ChangeMessageVisibility: { request: [...EVERY_OPERATION, ...QUEUE_URL, 'ReceiptHandleIsInvalid', 'MessageNotInflight'] },
};

// Limits of the SQS API reference and quotas (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html).
const MAX_BATCH_ENTRIES = 10;
/** "The maximum total payload size (the sum of the individual lengths of all of the batched messages) [is] 1 MiB" (API_SendMessageBatch). */
const MAX_BATCH_BYTES = 1_048_576;
const MAX_VISIBILITY_TIMEOUT = 43_200;
const MAX_DELAY_SECONDS = 900;
const MAX_WAIT_TIME_SECONDS = 20;
/** Batch entry ids: "up to 80 characters ... alphanumeric characters, hyphens(-), and underscores (_)" (API_SendMessageBatchRequestEntry). */
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** MessageBody: "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF" (API_SendMessage). */
const BODY_CHARACTERS = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** MessageGroupId: 1-128 alphanumeric and punctuation characters (API_SendMessage, MessageGroupId). */
const MESSAGE_GROUP_ID = /^[A-Za-z0-9!"#$%&'()*+,./:;<=>?@[\\\]^_`{|}~-]{1,128}$/;
/** System attributes ReceiveMessage can return for a standard queue (the MessageSystemAttributeName enum less the FIFO ones). */
const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'AWSTraceHeader', 'DeadLetterQueueSourceArn'] as const;

export type Output = JsonObject;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** A message ready for LocalQueue.sendMessage, with the digests SQS answers. */
interface PreparedSend {
  body: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  delaySeconds?: number;
  awsTraceHeader?: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
}

export class SqsOperations {
  constructor(readonly queues: QueueDirectory) {}

  execute(operation: ServedOperation, input: JsonObject): Output {
    switch (operation) {
      case 'GetQueueUrl':
        return this.getQueueUrl(input);
      case 'GetQueueAttributes':
        return this.getQueueAttributes(input);
      case 'SendMessage':
        return this.sendMessage(input);
      case 'SendMessageBatch':
        return this.sendMessageBatch(input);
      case 'ReceiveMessage':
        return this.receiveMessage(input);
      case 'DeleteMessage':
        return this.deleteMessage(input);
      case 'DeleteMessageBatch':
        return this.deleteMessageBatch(input);
      case 'ChangeMessageVisibility':
        return this.changeMessageVisibility(input);
    }
  }

  /** The ARN IAM decides a call on, from QueueUrl or (GetQueueUrl) QueueName: InvalidAddress or MissingParameter first. */
  queueArnOf(operation: ServedOperation, input: JsonObject): string {
    const { region } = this.queues;
    if (operation === 'GetQueueUrl') {
      const owner = optionalString(input.QueueOwnerAWSAccountId, 'QueueOwnerAWSAccountId') ?? this.queues.accountId;
      return `arn:aws:sqs:${region}:${owner}:${requiredString(input.QueueName, 'QueueName')}`;
    }
    const { accountId, name } = this.queues.parseUrl(requiredString(input.QueueUrl, 'QueueUrl'));
    return `arn:aws:sqs:${region}:${accountId}:${name}`;
  }

  private queueOf(input: JsonObject): LocalQueue {
    return this.queues.byUrl(requiredString(input.QueueUrl, 'QueueUrl'));
  }

  /** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html */
  private getQueueUrl(input: JsonObject): Output {
    const name = requiredString(input.QueueName, 'QueueName');
    const owner = optionalString(input.QueueOwnerAWSAccountId, 'QueueOwnerAWSAccountId');
    return { QueueUrl: this.queues.byName(name, owner).url };
  }

  /**
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html: without
   * AttributeNames the answer is empty; an unknown name answers InvalidAttributeName.
   */
  private getQueueAttributes(input: JsonObject): Output {
    const queue = this.queueOf(input);
    const names = stringList(input.AttributeNames, 'AttributeNames');
    const attributes = queueAttributes(queue, names);
    return Object.keys(attributes).length === 0 ? {} : { Attributes: attributes };
  }

  /** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html */
  private sendMessage(input: JsonObject): Output {
    const queue = this.queueOf(input);
    const prepared = prepareSend(queue, input, '', 'are invalid');
    const messageId = send(queue, prepared);
    return sendResult(messageId, prepared);
  }

  /**
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html: the batch as a
   * whole must be well formed (1-10 entries, valid distinct ids, at most 1 MiB in all) or the request fails; each
   * message is then validated and sent on its own, "the result of sending each message is reported individually":
   * an invalid message is a `Failed` entry (SenderFault true, with the code SendMessage would answer), the others
   * are sent.
   */
  private sendMessageBatch(input: JsonObject): Output {
    const queue = this.queueOf(input);
    const entries = batchEntries(input.Entries, 'SendMessageBatchRequestEntry');
    let total = 0;
    for (const entry of entries) total += typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody, 'utf8') + lenientAttributesSize(entry.MessageAttributes) : 0;
    if (total > MAX_BATCH_BYTES) {
      throw new SqsApiError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`);
    }
    const successful: Output[] = [];
    const failed: Output[] = [];
    entries.forEach((entry, index) => {
      try {
        const prepared = prepareSend(queue, entry, `Entries.${index + 1}.`, 'cannot be validated');
        successful.push({ Id: entry.Id, ...sendResult(send(queue, prepared), prepared) });
      } catch (error) {
        failed.push(failedEntry(entry.Id as string, error));
      }
    });
    return { Successful: successful, Failed: failed };
  }

  /**
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
   *
   * WaitTimeSeconds (0-20) is validated, then answered at once: the queue runs on a virtual clock that only a test
   * advances, and nothing can be sent to it while one request is being served, so a long poll would end exactly as
   * an immediate answer does, with what is visible now (and an empty answer stands for a wait that elapsed with
   * nothing arriving). The model never advances the clock itself. Every receive samples the whole queue, as long
   * polling does ("queries all of the servers",
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html):
   * the false empty answers of short polling are not modelled.
   *
   * System attributes (AttributeNames and MessageSystemAttributeNames) and message attributes
   * (MessageAttributeNames) are returned only when asked for. ReceiveRequestAttemptId applies only to FIFO queues
   * and is ignored here.
   */
  private receiveMessage(input: JsonObject): Output {
    const queue = this.queueOf(input);
    const max = optionalInteger(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.');
    const visibilityTimeoutSeconds = optionalInteger(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_TIMEOUT);
    optionalInteger(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, MAX_WAIT_TIME_SECONDS);
    optionalString(input.ReceiveRequestAttemptId, 'ReceiveRequestAttemptId');
    const systemNames = [...stringList(input.AttributeNames, 'AttributeNames'), ...stringList(input.MessageSystemAttributeNames, 'MessageSystemAttributeNames')];
    const attributeNames = stringList(input.MessageAttributeNames, 'MessageAttributeNames');
    const received = queue.receiveMessages({
      ...(max !== undefined ? { max } : {}),
      ...(visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds } : {}),
    });
    if (received.length === 0) return {};
    return { Messages: received.map((message) => toWireMessage(message, systemNames, attributeNames)) };
  }

  /**
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html: "If you use an old
   * ReceiptHandle, the request will succeed, but the message might not be deleted" — so a stale handle succeeds
   * and leaves the message, whatever the queue's in-process `staleReceiptHandles` setting; a handle this queue never
   * issued answers ReceiptHandleIsInvalid.
   */
  private deleteMessage(input: JsonObject): Output {
    const queue = this.queueOf(input);
    deleteOne(queue, requiredString(input.ReceiptHandle, 'ReceiptHandle'));
    return {};
  }

  /** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html: as DeleteMessage, per entry. */
  private deleteMessageBatch(input: JsonObject): Output {
    const queue = this.queueOf(input);
    const entries = batchEntries(input.Entries, 'DeleteMessageBatchRequestEntry');
    const successful: Output[] = [];
    const failed: Output[] = [];
    entries.forEach((entry, index) => {
      try {
        deleteOne(queue, requiredString(entry.ReceiptHandle, `Entries.${index + 1}.ReceiptHandle`));
        successful.push({ Id: entry.Id });
      } catch (error) {
        failed.push(failedEntry(entry.Id as string, error));
      }
    });
    return { Successful: successful, Failed: failed };
  }

  /**
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html:
   * VisibilityTimeout 0-43,200 and at most 12 hours from the receive in all; a message visible again answers
   * MessageNotInflight; a handle of a message that is gone or was received again answers InvalidParameterValue
   * ("Message does not exist or is not available for visibility timeout change", SQS's wording).
   */
  private changeMessageVisibility(input: JsonObject): Output {
    const queue = this.queueOf(input);
    const receiptHandle = requiredString(input.ReceiptHandle, 'ReceiptHandle');
    const timeout = requiredInteger(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_TIMEOUT);
    try {
      queue.changeMessageVisibility(receiptHandle, timeout);
    } catch (error) {
      if (error instanceof ReceiptHandleOfGoneMessageError || error instanceof StaleReceiptHandleError) {
        throw invalidParameter('ReceiptHandle', receiptHandle, 'Message does not exist or is not available for visibility timeout change.');
      }
      throw fromQueueError(error, receiptHandle);
    }
    return {};
  }
}

/**
 * Validates one message of SendMessage (prefix '') or of a batch entry (prefix `Entries.N.`); `invalid` words the
 * size error as SQS does for each ("are invalid" for SendMessage, "cannot be validated" for a batch entry).
 */
function prepareSend(queue: LocalQueue, fields: JsonObject, prefix: string, invalid: string): PreparedSend {
  const body = requiredString(fields.MessageBody, `${prefix}MessageBody`);
  if (!BODY_CHARACTERS.test(body)) {
    throw new SqsApiError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
  const delaySeconds = optionalInteger(fields.DelaySeconds, `${prefix}DelaySeconds`, 0, MAX_DELAY_SECONDS);
  const messageAttributes = parseMessageAttributes(fields.MessageAttributes, `${prefix}MessageAttributes`);
  const awsTraceHeader = traceHeaderOf(fields.MessageSystemAttributes, `${prefix}MessageSystemAttributes`);
  const deduplicationId = optionalString(fields.MessageDeduplicationId, `${prefix}MessageDeduplicationId`);
  if (deduplicationId !== undefined) {
    throw invalidParameter(`${prefix}MessageDeduplicationId`, deduplicationId, 'The request include parameter that is not valid for this queue type.');
  }
  // A standard queue takes a MessageGroupId (fair queues); the model checks it and does not keep it (see sqs-server.ts).
  const groupId = optionalString(fields.MessageGroupId, `${prefix}MessageGroupId`);
  if (groupId !== undefined && !MESSAGE_GROUP_ID.test(groupId)) {
    throw invalidParameter(`${prefix}MessageGroupId`, groupId, 'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  }
  // "The message size includes the message body and message attributes"; system attributes do not count (quotas-messages.html, API_SendMessage).
  if (Buffer.byteLength(body, 'utf8') + attributesSize(messageAttributes) > queue.maximumMessageSizeBytes) {
    throw new SqsApiError('InvalidParameterValue', `One or more parameters ${invalid}. Reason: Message must be shorter than ${queue.maximumMessageSizeBytes} bytes.`);
  }
  const md5OfMessageAttributes = md5OfAttributes(messageAttributes);
  const md5OfMessageSystemAttributes = awsTraceHeader === undefined ? undefined : md5OfAttributes({ AWSTraceHeader: { dataType: 'String', stringValue: awsTraceHeader } });
  return {
    body,
    messageAttributes,
    ...(delaySeconds !== undefined ? { delaySeconds } : {}),
    ...(awsTraceHeader !== undefined ? { awsTraceHeader } : {}),
    ...(md5OfMessageAttributes !== undefined ? { md5OfMessageAttributes } : {}),
    ...(md5OfMessageSystemAttributes !== undefined ? { md5OfMessageSystemAttributes } : {}),
  };
}

/**
 * MessageSystemAttributes: "Currently, the only supported message system attribute is AWSTraceHeader. Its type must
 * be String" and "Name, type, value ... must not be empty" (API_SendMessage, API_MessageSystemAttributeValue).
 */
function traceHeaderOf(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidParameter(member, value, 'must be a map of attribute name to value.');
  let header: string | undefined;
  for (const [name, attribute] of Object.entries(value)) {
    if (name !== 'AWSTraceHeader') throw invalidParameter(`${member}.Name`, name, 'The only supported message system attribute is AWSTraceHeader.');
    const valid = isObject(attribute) && attribute.DataType === 'String' && typeof attribute.StringValue === 'string' && attribute.StringValue !== '';
    if (!valid) throw invalidParameter(`${member}.AWSTraceHeader`, attribute, 'AWSTraceHeader must be of DataType String with a non-empty StringValue.');
    header = attribute.StringValue as string;
  }
  return header;
}

function send(queue: LocalQueue, prepared: PreparedSend): string {
  try {
    return queue.sendMessage(prepared.body, {
      messageAttributes: prepared.messageAttributes,
      ...(prepared.delaySeconds !== undefined ? { delaySeconds: prepared.delaySeconds } : {}),
      ...(prepared.awsTraceHeader !== undefined ? { awsTraceHeader: prepared.awsTraceHeader } : {}),
    });
  } catch (error) {
    throw fromQueueError(error, '');
  }
}

function sendResult(messageId: string, prepared: PreparedSend): Output {
  return {
    MessageId: messageId,
    MD5OfMessageBody: md5(prepared.body),
    ...(prepared.md5OfMessageAttributes ? { MD5OfMessageAttributes: prepared.md5OfMessageAttributes } : {}),
    ...(prepared.md5OfMessageSystemAttributes ? { MD5OfMessageSystemAttributes: prepared.md5OfMessageSystemAttributes } : {}),
  };
}

/** For the batch size: what the attributes would count, 0 when they are malformed (that entry fails on its own). */
function lenientAttributesSize(value: unknown): number {
  try {
    return attributesSize(parseMessageAttributes(value));
  } catch {
    return 0;
  }
}

/**
 * The entries of a batch request, checked as a whole: present (MissingParameter), not empty (EmptyBatchRequest), at
 * most 10 (TooManyEntriesInBatchRequest), each with an Id of 1-80 [A-Za-z0-9_-] (InvalidBatchEntryId), all Ids
 * distinct (BatchEntryIdsNotDistinct). Limits: API_SendMessageBatch, API_DeleteMessageBatch, quotas-messages.html.
 */
function batchEntries(value: unknown, entryShape: string): JsonObject[] {
  if (value === undefined || value === null) throw missingParameter('Entries');
  if (!Array.isArray(value)) throw invalidParameter('Entries', value, 'must be a list.');
  if (value.length === 0) throw new SqsApiError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);
  if (value.length > MAX_BATCH_ENTRIES) {
    throw new SqsApiError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${value.length}.`);
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    if (!isObject(entry)) throw invalidParameter(`Entries.${index + 1}`, entry, `must be a ${entryShape}.`);
    const id = requiredString(entry.Id, `Entries.${index + 1}.Id`);
    if (!BATCH_ENTRY_ID.test(id)) {
      throw new SqsApiError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw new SqsApiError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
    return entry;
  });
}

/** A `Failed` entry of a batch: the code is the one SQS reports there (the query code, e.g. InvalidParameterValue). */
function failedEntry(id: string, error: unknown): Output {
  if (!(error instanceof SqsApiError)) throw error;
  return { Id: id, SenderFault: error.spec.status < 500, Code: error.spec.queryCode, Message: error.message };
}

function deleteOne(queue: LocalQueue, receiptHandle: string): void {
  try {
    queue.deleteMessage(receiptHandle);
  } catch (error) {
    if (error instanceof StaleReceiptHandleError) return;
    throw fromQueueError(error, receiptHandle);
  }
}

/** LocalQueue's named errors as the API's. */
function fromQueueError(error: unknown, receiptHandle: string): unknown {
  if (error instanceof ReceiptHandleIsInvalidError) {
    return new SqsApiError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
  }
  if (error instanceof MessageNotInflightError) return new SqsApiError('MessageNotInflight', error.message);
  if (error instanceof InvalidParameterValueError) return new SqsApiError('InvalidParameterValue', error.message);
  return error;
}

function toWireMessage(message: ReceivedMessage, systemNames: readonly string[], attributeNames: readonly string[]): Output {
  const all = systemNames.includes('All');
  const system: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = message.attributes[name];
    if (value !== undefined && (all || systemNames.includes(name))) system[name] = value;
  }
  const selected = selectAttributes(message.messageAttributes, attributeNames);
  const md5OfMessageAttributes = md5OfAttributes(selected);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(system).length > 0 ? { Attributes: system } : {}),
    ...(md5OfMessageAttributes !== undefined ? { MD5OfMessageAttributes: md5OfMessageAttributes, MessageAttributes: toWireAttributes(selected) } : {}),
  };
}
