import { strict as assert } from 'node:assert';
import { lowBelowBytes, parseDiskThreshold } from '../../../pod-server/operator/diskThreshold';

describe('The --disk-low threshold', (): void => {
  it('is a number of bytes or a share of the disk.', (): void => {
    assert.deepEqual(parseDiskThreshold('2000000000'), { bytes: 2_000_000_000 });
    assert.deepEqual(parseDiskThreshold(' 5% '), { percent: 5 });
    assert.deepEqual(parseDiskThreshold('0.5%'), { percent: 0.5 });
    assert.deepEqual(parseDiskThreshold('100%'), { percent: 100 });
    assert.equal(lowBelowBytes({ percent: 5 }, 1_000_001), 50_000);
    assert.equal(lowBelowBytes({ bytes: 7 }, 1_000_001), 7);
  });

  it('refuses anything else, naming both forms.', (): void => {
    for (const text of [ '', 'lots', '5 %', '-1', '101%', '2GB', '1e9', '%' ]) {
      assert.throws((): unknown => parseDiskThreshold(text),
        new RegExp(`^Error: Invalid disk threshold "${text.replace('%', '%')}": use a number of bytes .* or a share of the disk`, 'u'), text);
    }
  });
});
