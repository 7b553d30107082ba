// What the enrich stage asks the model, as data: each task's instructions, the JSON schema its answer must
// follow, and the check of an answer item by item (an item that breaks the schema is dropped, never trusted).
// Pure: no model, no Redis in here.
import Ajv, { ValidateFunction } from 'ajv';
import { LlmRequest } from '../llm/llm.types';

const ajv = new Ajv({ allErrors: false, removeAdditional: 'all', useDefaults: false, coerceTypes: false });

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const answerOf = (item: Record<string, unknown>) => ({
  type: 'object',
  properties: { items: { type: 'array', items: item } },
  required: ['items'],
  additionalProperties: false,
});

/** Answers are short: a definition in a sentence, a line of dialogue. */
const DEFINITION = text(300);
const LINE = text(600);

export const CATEGORIES = ['idiom', 'phrasal_verb', 'fixed_phrase'] as const;
export const DIFFICULTIES = ['beginner', 'intermediate', 'advanced'] as const;

const CONFIRM_ITEM = {
  type: 'object',
  properties: { id: { type: 'string' }, idiomatic: { type: 'boolean' }, definition: DEFINITION },
  required: ['id', 'idiomatic', 'definition'],
  additionalProperties: false,
};

const PROPOSE_ITEM = {
  type: 'object',
  properties: {
    expression: text(60),
    category: { type: 'string', enum: CATEGORIES },
    sentence: { type: 'integer' },
    quote: text(200),
    definition: DEFINITION,
    difficulty: { type: 'string', enum: DIFFICULTIES },
  },
  required: ['expression', 'category', 'sentence', 'quote', 'definition', 'difficulty'],
  additionalProperties: false,
};

const translateItem = (languages: string[]) => ({
  type: 'object',
  properties: {
    id: { type: 'string' },
    similar: { type: 'array', items: text(60), maxItems: 2 },
    translations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          language: languages.length ? { type: 'string', enum: languages } : { type: 'string' },
          expression: text(200),
          definition: DEFINITION,
          example: LINE,
        },
        required: ['language', 'expression', 'definition', 'example'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'similar', 'translations'],
  additionalProperties: false,
});

export interface ConfirmInput {
  id: string;
  expression: string;
  line: string;
  meaning: string;
}
export interface ConfirmAnswer {
  id: string;
  idiomatic: boolean;
  definition: string;
}

export interface ProposeInput {
  /** Expressions already found in these lines: not to be proposed again. */
  known: string[];
  sentences: { id: number; text: string }[];
}
export interface ProposeAnswer {
  expression: string;
  category: (typeof CATEGORIES)[number];
  sentence: number;
  quote: string;
  definition: string;
  difficulty: (typeof DIFFICULTIES)[number];
}

export interface TranslateInput {
  id: string;
  expression: string;
  definition: string;
  example: string;
}
export interface TranslateAnswer {
  id: string;
  similar: string[];
  translations: { language: string; expression: string; definition: string; example: string }[];
}

const SYSTEM_BASE =
  'You help an English teacher prepare lessons from TV subtitles for learners of English whose first language is not English. ' +
  'Answer with JSON only, following the schema exactly.';

/** (a) Is each expression used as the expression in its line, and what does it mean there? */
export function confirmRequest(items: ConfirmInput[]): LlmRequest {
  return {
    task: 'confirm',
    system:
      `${SYSTEM_BASE} For each item, decide whether the expression is used idiomatically in the line: as the idiom, phrasal verb ` +
      'or fixed phrase, not literally and not as words that only happen to stand together ("break the ice" in "he broke the ice cube" is literal). ' +
      'Then write a learner definition of the sense used in that line: plain English, at most 20 words, no example. ' +
      '`meaning` is a dictionary sense that may or may not fit. Keep every id.',
    user: JSON.stringify({ items }),
    schema: wireSchema(answerOf(CONFIRM_ITEM)) as Record<string, unknown>,
    maxOutputTokens: 120 + items.length * 80,
  };
}

/** (b) The idioms, phrasal verbs and fixed phrases a learner needs from these lines that were missed. */
export function proposeRequest(input: ProposeInput): LlmRequest {
  return {
    task: 'propose',
    system:
      `${SYSTEM_BASE} Find idioms, phrasal verbs and fixed phrases worth teaching in these subtitle lines that are not in \`known\`. ` +
      'Skip single words, names and plain literal word combinations. For each: `expression` in dictionary form ("spill the beans", ' +
      '"figure out"), `category`, `sentence` (the id of its line), `quote` (its words exactly as they appear in that line), a learner ' +
      '`definition` of the sense used there (at most 20 words) and its `difficulty` for a learner. Propose only what the lines really say; ' +
      'an empty list is a good answer.',
    user: JSON.stringify(input),
    schema: wireSchema(answerOf(PROPOSE_ITEM)) as Record<string, unknown>,
    maxOutputTokens: 200 + input.sentences.length * 40,
  };
}

/** (c) and (d): each expression in the learners' languages, and one or two similar English expressions. */
export function translateRequest(items: TranslateInput[], languages: string[]): LlmRequest {
  return {
    task: 'translate',
    system:
      `${SYSTEM_BASE} For each item give \`similar\`: one or two English expressions close in meaning (synonyms or related idioms). ` +
      (languages.length
        ? `Then translate it into each of these languages (BCP 47 codes): ${languages.join(', ')}. For each language: \`expression\`, ` +
          'a natural equivalent of the expression in that sense (not word by word), `definition` translated, and `example`, the line translated ' +
          'as a subtitle would say it. One translation per language per item.'
        : 'Leave `translations` empty.'),
    user: JSON.stringify({ languages, items }),
    schema: wireSchema(answerOf(translateItem(languages))) as Record<string, unknown>,
    maxOutputTokens: 150 + items.length * (60 + languages.length * 150),
  };
}

/** Keywords some servers refuse in a strict schema (OpenAI's structured outputs among them): checked here instead. */
const LOCAL_ONLY = new Set(['minLength', 'maxLength', 'maxItems', 'minItems']);

/** The schema as sent to the model: what every OpenAI-compatible server takes in strict mode. */
export function wireSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(wireSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).flatMap(([k, v]) => (LOCAL_ONLY.has(k) ? [] : [[k, wireSchema(v)]])));
}

/** The items of an answer that follow the schema, and how many did not. */
export interface Checked<T> {
  items: T[];
  invalid: number;
}

const itemValidators = new Map<string, ValidateFunction>();
const validatorOf = (key: string, schema: object) => {
  let v = itemValidators.get(key);
  if (!v) itemValidators.set(key, (v = ajv.compile(schema)));
  return v;
};

/**
 * Parses an answer and keeps the items that follow the item schema (unknown fields are stripped: a model that
 * adds times or scores gets them ignored). `expected`: how many items were asked for, all counted invalid when
 * the answer is not JSON at all or not the list.
 */
function checkItems<T>(text: string, key: string, itemSchema: object, expected: number): Checked<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { items: [], invalid: expected };
  }
  const list = (parsed as { items?: unknown })?.items;
  if (!Array.isArray(list)) return { items: [], invalid: expected };
  const validate = validatorOf(key, itemSchema);
  const items = list.filter((item) => validate(item)) as T[];
  return { items, invalid: list.length - items.length };
}

export const checkConfirm = (text: string, expected: number) => checkItems<ConfirmAnswer>(text, 'confirm', CONFIRM_ITEM, expected);
/** A search's answer that is not the list counts once: for the request, whatever the lines held. */
export const checkPropose = (text: string) => checkItems<ProposeAnswer>(text, 'propose', PROPOSE_ITEM, 1);
export const checkTranslate = (text: string, languages: string[], expected: number) =>
  checkItems<TranslateAnswer>(text, `translate:${languages.join(',')}`, translateItem(languages), expected);
