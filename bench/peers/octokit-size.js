// What an Octokit user ships to call an API under rate limits: the core with its retry and throttling plugins
// (bottleneck). Bundled by bench/size.ts as this SDK's core is, for the side-by-side size figure.
import { Octokit } from "@octokit/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

export const ThrottledOctokit = Octokit.plugin(retry, throttling);
