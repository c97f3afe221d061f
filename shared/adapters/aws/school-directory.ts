import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { schoolKey, schoolRegistryIndex, schoolRegistryPartition } from '../../domain/keys';
import type { SchoolDirectory, SchoolProfile } from '../../ports';
import { conditionalWrite, queryByPupilPartition, type TableRef } from './dynamodb';

const profileFields = ['schoolId', 'name', 'leaders', 'timezone', 'dslEmail', 'createdAt'] as const;

function toProfile(item: Record<string, unknown>): SchoolProfile {
  return Object.fromEntries(profileFields.map((field) => [field, item[field]]).filter(([, value]) => value !== undefined)) as unknown as SchoolProfile;
}

export class DynamoSchoolDirectory implements SchoolDirectory {
  constructor(private readonly table: TableRef) {}

  async create(profile: SchoolProfile): Promise<boolean> {
    return conditionalWrite(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...schoolKey(profile.schoolId), ...schoolRegistryIndex(profile.schoolId), recordKind: 'school', ...profile },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(schoolId: string): Promise<SchoolProfile | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: schoolKey(schoolId) }));
    return Item ? toProfile(Item) : undefined;
  }

  async list(): Promise<SchoolProfile[]> {
    return (await queryByPupilPartition(this.table, schoolRegistryPartition)).map(toProfile);
  }
}
