import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';

/** One member of a consumer group: the partitions of the topic it holds and what the group committed on them. */
export interface MemberProgress {
  memberId: string;
  partitions: number[];
  /** Sum of the committed offsets of its partitions: the messages consumed (and committed) on them. */
  committed: number;
}

/**
 * Looks at a consumer group from the outside (kafkajs admin: describeGroups and fetchOffsets), to show that the
 * members of a scaled-out group share the work. Reads only; it never joins the group.
 */
export class ConsumerGroupProbe {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(brokers: string) {
    this.admin = new Kafka({
      clientId: 'fault-probe',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
    }).admin();
  }

  async members(groupId: string, topic: string): Promise<MemberProgress[]> {
    this.connected ??= this.admin.connect();
    await this.connected;
    const [{ groups }, offsets] = await Promise.all([
      this.admin.describeGroups([groupId]),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committed = new Map(
      (offsets.find((o) => o.topic === topic)?.partitions ?? []).map((p) => [
        p.partition,
        Math.max(0, Number(p.offset)),
      ]),
    );
    return (groups[0]?.members ?? []).map((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      const partitions = [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
      return {
        memberId: member.memberId,
        partitions,
        committed: partitions.reduce((sum, p) => sum + (committed.get(p) ?? 0), 0),
      };
    });
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
  }
}

export const describeMembers = (members: readonly MemberProgress[]): string =>
  members.map((m) => `[${m.partitions.join(',')}] ${m.committed} committed`).join('; ');
