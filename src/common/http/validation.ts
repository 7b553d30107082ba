import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';

/**
 * An optional field: left out, it takes its default; sent, it is validated, `null` included (null is not a
 * way to ask for the default, it is a 400 that names the field).
 */
export const Optional = () => ValidateIf((_object, value) => value !== undefined);

/** A whole number in [min, max], with one message whatever is wrong with it. */
export const WholeNumber = (field: string, min: number, max: number) => {
  const message = `${field} must be a whole number from ${min} to ${max}`;
  return applyDecorators(IsInt({ message }), Min(min, { message }), Max(max, { message }));
};

/** Text of 1 to `max` characters, with one message whatever is wrong with it. */
export const Text = (field: string, max: number) => {
  const message = `${field} must be text of 1 to ${max} characters`;
  return applyDecorators(IsString({ message }), IsNotEmpty({ message }), MaxLength(max, { message }));
};

/** A language tag in its canonical form ("pt-br" -> "pt-BR"), or null when it is not one (BCP 47). */
export function canonicalLanguage(tag: unknown): string | null {
  if (typeof tag !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * A list of at most `max` distinct BCP 47 language tags (ko, ja, es, pt-BR), made canonical, English aside
 * (the language of the text itself). `form`: a multipart form's field, which may also be "ko,es".
 */
export const LanguageTags = (field: string, max: number, form = false) => {
  const message = `${field} must be a list of at most ${max} distinct BCP 47 language codes other than English, such as ["ko", "es", "pt-BR"]`;
  const listOf = (value: unknown) => (form && typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value);
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      const list = listOf(value);
      return Array.isArray(list) ? list.map((v) => canonicalLanguage(v) ?? v) : list;
    }),
    IsArray({ message }),
    ArrayMaxSize(max, { message }),
    ValidateBy({
      name: 'languageTags',
      validator: {
        validate: (tags: unknown[]) => tags.every((t) => canonicalLanguage(t) === t && !/^en(-|$)/.test(t as string)) && new Set(tags).size === tags.length,
        defaultMessage: (args) => {
          const value = (args?.value ?? []) as unknown[];
          const bad = value.find((t) => canonicalLanguage(t) !== t);
          if (bad !== undefined) return `${field}: ${JSON.stringify(bad)} is not a BCP 47 language code (such as "ko", "es" or "pt-BR")`;
          if (value.some((t) => /^en(-|$)/.test(t as string))) return `${field}: English is the language of the text; list the learners' languages`;
          return `${field}: each language once`;
        },
      },
    }),
  );
};

/**
 * The messages of class-validator's errors, one per field (the first that failed); a nested field's message
 * says where it is ("expressions[2]: definition must be ...").
 */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = !parent ? e.property : /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`;
    const where = parent ? `${parent}: ` : '';
    const constraints = Object.entries(e.constraints ?? {});
    const own = constraints.map(([kind, message]) =>
      kind === 'whitelistValidation' ? `${path} is not a field of this request: remove it` : `${where}${message}`,
    );
    return [...own.slice(0, 1), ...validationMessages(e.children ?? [], path)];
  });
}

/** Validation at the edge: unknown fields refused, types converted, one message per field, joined. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(validationMessages(errors).join('; ')),
  });
}
