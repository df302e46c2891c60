export declare function renderNotesReport(input: { day: string; titles: string[] }): { day: string; notes: number; checksum: string; onWorkerThread: boolean };
