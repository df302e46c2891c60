export declare function renderReport(input: { month: string; lines: number }): { month: string; lines: number; checksum: string; onWorkerThread: boolean };
