import { strict as assert } from 'node:assert';
import { nestingDepthOf } from '../../../pod-server/patch/nestingDepthOf';

describe('nestingDepthOf', (): void => {
  it('counts how deeply groups, expressions and blank nodes nest.', (): void => {
    assert.equal(nestingDepthOf('INSERT DATA { <#a> <#b> 1 }'), 1);
    assert.equal(nestingDepthOf('INSERT { <#a> <#b> ?c } WHERE { { ?c <#d> [ <#e> 1 ] } FILTER((?c > 1)) }'), 3);
    assert.equal(nestingDepthOf(`WHERE ${'{ '.repeat(500)}${' }'.repeat(500)}`), 500);
  });

  it('does not count brackets inside strings, IRIs and comments.', (): void => {
    assert.equal(nestingDepthOf('INSERT DATA { <#a> <#b> "{{{((([[[" }'), 1);
    assert.equal(nestingDepthOf(`INSERT DATA { <#a> <#b> """{{{\n(((""" ; <#c> '[[[' }`), 1);
    assert.equal(nestingDepthOf('INSERT DATA { <http://ex.org/a(b)[c]#x> <#b> 1 } # {{{{{{'), 1);
    assert.equal(nestingDepthOf('INSERT DATA { <#a> <#b> "say \\"{{{\\"" }'), 1);
  });

  it('does not let a comment or a less-than sign hide what follows.', (): void => {
    // `<` is a comparison here, not an IRI, so the `#` after it is a comment only up to the line's end.
    assert.equal(nestingDepthOf(`FILTER(?a < 3) # ((((\n${'('.repeat(100)}`), 100);
    assert.equal(nestingDepthOf(`<#a> ${'{'.repeat(70)}`), 70);
  });
});
