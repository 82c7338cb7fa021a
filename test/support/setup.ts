/**
 * Loaded by mocha before any test (.mocharc.json "require").
 * - The AWS SDK warns once per process that its 2027 releases need Node ≥ 22; this machine runs Node 20
 *   (the Lambda runtime is nodejs22.x). The warning says nothing about the code under test.
 * - Powertools loggers stay quiet unless a test captures them.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
