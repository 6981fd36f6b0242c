import { describe, expect, it } from 'vitest';
import { addPoints, formatPoints, parsePoints, sharePoints, toPoints } from '../../src/rubric/points.js';

describe('parsePoints', () => {
  it.each([
    [0.25, 25],
    ['0.25', 25],
    [1, 100],
    ['1.5', 150],
    [0.1, 10],
    [0.05, 5],
    ['0', 0],
    [' 2.5 ', 250],
  ])('%j is %i hundredths', (value, hundredths) => {
    expect(parsePoints(value)).toBe(hundredths);
  });

  it.each([[0.125], ['0.125'], [-1], ['-0.25'], ['abc'], [''], [Number.NaN], [Infinity], [1e-7], ['1e2']])(
    'refuses %j',
    (value) => {
      expect(parsePoints(value)).toBeNull();
    },
  );
});

describe('point arithmetic', () => {
  it('adds 0.25 + 0.25 + 0.1 + 0.2 exactly, where floats drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const sum = addPoints(parsePoints(0.25)!, parsePoints(0.25)!, parsePoints(0.1)!, parsePoints(0.2)!);
    expect(toPoints(sum)).toBe(0.8);
    expect(formatPoints(sum)).toBe('0.8');
  });

  it('gives the number the decimal text reads as, for every hundredths up to 100,000 and their negatives', () => {
    for (let hundredths = 0; hundredths <= 100_000; hundredths += 1) {
      if (toPoints(hundredths) !== Number(formatPoints(hundredths)) || toPoints(-hundredths) !== Number(formatPoints(-hundredths))) {
        expect({ hundredths, points: toPoints(hundredths) }).toEqual({ hundredths, points: Number(formatPoints(hundredths)) });
      }
    }
    expect(Object.is(toPoints(-0), 0)).toBe(true);
    expect(toPoints(Number.MAX_SAFE_INTEGER)).toBe(Number(formatPoints(Number.MAX_SAFE_INTEGER)));
  });

  it('adds ten 0.1s to exactly 1', () => {
    expect(toPoints(addPoints(...Array.from({ length: 10 }, () => parsePoints(0.1)!)))).toBe(1);
  });

  it.each([
    [25, 1, 25],
    [25, 0, 0],
    [25, 0.5, 12],
    [100, 1 / 3, 33],
    [30, 0.1 * 3, 9],
    [50, 0.999, 49],
  ])('share of %i hundredths at fraction %d rounds down to %i', (points, fraction, share) => {
    expect(sharePoints(points, fraction)).toBe(share);
  });

  it('refuses a fraction outside 0..1', () => {
    expect(() => sharePoints(25, 1.5)).toThrow(RangeError);
    expect(() => sharePoints(25, Number.NaN)).toThrow(RangeError);
  });

  it.each([
    [0, '0'],
    [5, '0.05'],
    [25, '0.25'],
    [150, '1.5'],
    [1000, '10'],
    [925, '9.25'],
  ])('formats %i hundredths as %s', (hundredths, text) => {
    expect(formatPoints(hundredths)).toBe(text);
    expect(toPoints(hundredths)).toBe(Number(text));
  });
});
