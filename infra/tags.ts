/**
 * The stack's tags (`app`, `stack` and the user's `tags` config) on every taggable resource, from one
 * transformation that index.ts hands to each component (children inherit their parent's transformations).
 *
 * Why a transformation and not the aws provider's `defaultTags`:
 * - defaultTags needs an explicit `aws.Provider`, and an explicit provider ignores the stack's `aws:*` config
 *   (region, profile, assume role...) unless each setting is forwarded by hand; it would also move every deployed
 *   resource to a new provider reference, which is an in-place change only with an engine that asks the
 *   provider's DiffConfig (https://github.com/pulumi/pulumi/pull/18509), and a replacement with older CLIs: the
 *   state store has deletion protection on, so such a `pulumi up` would fail halfway.
 * - Under `pulumi.runtime.setMocks` the provider merges defaultTags out of sight, so a test could only check
 *   provider references; with a transformation each resource's own `tags` input holds the tags, which is what
 *   the mocks record and what `pulumi preview` shows.
 * - The (legacy) `transformations` option rather than `registerResourceTransform`/`registerStackTransformation`:
 *   the new transforms run in the engine on serialized inputs, where an unset `tags` is gone, so they would need
 *   a hand-kept list of taggable types; the legacy transformation sees the SDK's inputs, in which every resource
 *   class that accepts tags sets a `tags` key (undefined when unset). And registerStackTransformation needs the
 *   root stack resource, which a mocks test that loads index.ts does not have.
 * awsx.classic components (the optional trail) are plain JavaScript components, so their children inherit it too.
 */
import * as pulumi from '@pulumi/pulumi';

export const APP_TAG_VALUE = 'scheduler-observer';

/** The tags every taggable resource carries: the user's, then `app` and `stack`, which the user cannot override. */
export function stackTags(stack: string, userTags: Readonly<Record<string, string>>): Record<string, string> {
  return { ...userTags, app: APP_TAG_VALUE, stack };
}

/** Adds `tags` to every custom resource whose type accepts them, keeping tags a resource sets itself. */
export function tagTransformation(tags: Readonly<Record<string, string>>): pulumi.ResourceTransformation {
  return ({ resource, props, opts }) => {
    // instanceof, not CustomResource.isInstance: the flag isInstance reads is set after the transformations ran.
    if (!(resource instanceof pulumi.CustomResource) || !('tags' in props)) return undefined;
    const own = props.tags as pulumi.Input<Record<string, pulumi.Input<string>>> | undefined;
    return { props: { ...props, tags: pulumi.output(own).apply((existing) => ({ ...existing, ...tags })) }, opts };
  };
}
