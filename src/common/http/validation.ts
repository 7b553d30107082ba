import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';

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
