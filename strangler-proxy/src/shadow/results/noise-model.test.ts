import { SHADOW_NOISE_MIN_SAMPLE } from "../../defaults";
import { createNoiseModel } from "./noise-model";
import { DEFAULT_NOISE_THRESHOLDS } from "@strangler/response-compare";

const thresholds = DEFAULT_NOISE_THRESHOLDS;

describe("the noise model", () => {
  it("calls a field noise once it differed between two primary answers over the minimum sample", () => {
    const model = createNoiseModel();
    for (let i = 0; i < SHADOW_NOISE_MIN_SAMPLE - 1; i += 1) model.observeNoiseSample("r", ["/generatedAt"]);
    model.observeComparison("r", ["/generatedAt"]);
    expect(model.isNoise(["r"], "/generatedAt", thresholds)).toBe(false);
    model.observeNoiseSample("r", ["/generatedAt"]);
    expect(model.isNoise(["r"], "/generatedAt", thresholds)).toBe(true);
    expect(model.isNoise(["other"], "/generatedAt", thresholds)).toBe(false);
  });

  it("never calls a field noise that did not differ between primary answers, and learns per field, not per array element", () => {
    const model = createNoiseModel();
    for (let i = 0; i < SHADOW_NOISE_MIN_SAMPLE; i += 1) model.observeNoiseSample("r", [`/items/${i}/etag`]);
    model.observeComparison("r", ["/name", "/items/7/etag"]);
    expect(model.isNoise(["r"], "/name", thresholds)).toBe(false);
    expect(model.isNoise(["r"], "/items/42/etag", thresholds)).toBe(true);
  });

  it("calls a field a regression when its old-vs-new rate clearly exceeds its old-vs-old rate", () => {
    const model = createNoiseModel();
    // Differs in 1 of 20 noise samples, but in every one of 20 comparisons.
    for (let i = 0; i < 20; i += 1) model.observeNoiseSample("r", i === 0 ? ["/price"] : []);
    for (let i = 0; i < 20; i += 1) model.observeComparison("r", ["/price"]);
    expect(model.isNoise(["r"], "/price", thresholds)).toBe(false);
  });

  it("hands over its deltas once, and keeps the untaken ones across a reseed from the store", () => {
    const model = createNoiseModel();
    model.observeNoiseSample("r", ["/a"]);
    model.reseed([
      {
        routeId: "r",
        path: "/a",
        noiseDiffering: SHADOW_NOISE_MIN_SAMPLE - 1,
        noiseCompared: SHADOW_NOISE_MIN_SAMPLE - 1,
        differing: 0,
        compared: 0,
      },
    ]);
    expect(model.isNoise(["r"], "/a", thresholds)).toBe(true);
    expect(model.takeDeltas()).toEqual([
      { routeId: "r", path: "/a", noiseDiffering: 1, noiseCompared: 1, differing: 0, compared: 0 },
    ]);
    expect(model.takeDeltas()).toEqual([]);
  });
});
