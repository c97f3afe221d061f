import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A part of the stack named for what it is (storage, mail, fan-out…). It groups
 * constructs for the reader only: a Section adds nothing to its children's logical ids
 * (see SectionedStack), so moving a resource into a Section never makes CloudFormation
 * replace it. Section ids must therefore not be reused as child ids elsewhere.
 */
export class Section extends Construct {}

/**
 * A stack whose logical ids are computed as if every Section were absent: the ids the
 * resources had before the stack was split into sections (a changed logical id is a new
 * resource to CloudFormation: the old one is deleted or, when retained, orphaned).
 */
export class SectionedStack extends Stack {
  protected override allocateLogicalId(element: CfnElement): string {
    const scopes = element.node.scopes.filter((scope) => !(scope instanceof Section));
    // Stack's own algorithm, over the path without sections.
    return super.allocateLogicalId({ node: { scopes }, stack: element.stack } as unknown as CfnElement);
  }
}
