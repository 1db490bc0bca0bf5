export const ACTION_BUNDLE: string;
export function bundleAction(): Promise<string>;
