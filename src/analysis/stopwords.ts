/** Function words: an expression made only of these is never worth teaching ("in that", "of the"). */
export const STOPWORDS = new Set(
  `a an the this that these those some any each every no not nor neither either both all
  i me my mine myself you your yours yourself yourselves he him his himself she her hers herself it its itself
  we us our ours ourselves they them their theirs themselves one one's someone somebody something anyone anything
  who whom whose which what where when why how there here
  be am is are was were been being have has had having do does did doing will would shall should can could may might must
  to of in on at by for with from into onto upon about as than then so and or but if because while until
  up down out off over under again further once very too just only also even more most less least much many such own same other
  's n't 're 'll 'm 've 'd`.split(/\s+/),
);

export const POSSESSIVES = new Set(['my', 'your', 'his', 'her', 'its', 'our', 'their', "one's"]);

/** Words that can follow a verb as the particle of a phrasal verb. */
export const PARTICLES = new Set(
  'up down out off on in over away back through around round about along by across after ahead apart aside forward together with without into onto upon for to from of under behind'.split(
    ' ',
  ),
);

/** Parts of speech that can stand inside a noun phrase (the object of a split phrasal verb, a slot). */
export const NOUN_PHRASE_POS = new Set(['PRON', 'PROPN', 'NOUN', 'DET', 'ADJ', 'NUM', 'PART']);
